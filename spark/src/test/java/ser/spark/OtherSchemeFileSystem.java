package ser.spark;

import org.apache.hadoop.fs.RawLocalFileSystem;

import java.net.URI;

/**
 * Local files under a scheme of their own ({@code sertest:///tmp/a.wav}), so that a test takes the path a
 * {@code hdfs://} or {@code s3a://} file takes: through Hadoop's FileSystem, copied to a temporary file.
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {

    static final String SCHEME = "sertest";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}
