package ser.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * An audio file named in a manifest, handed to the engine's decoders, which read local files. A local path (no
 * scheme, or {@code file:}) is read in place; a remote one ({@code hdfs://}, {@code s3a://}) is copied through
 * Hadoop's FileSystem to a temporary file on the executor, used and deleted: audio files are small and the engine's
 * readers want a file they can seek in.
 */
final class AudioFiles {

    private AudioFiles() {}

    static <T> T withLocalFile(String path, Configuration hadoop, Function<Path, T> use) throws IOException {
        if (!path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) return use.apply(Path.of(path));
        if (path.startsWith("file:")) return use.apply(Path.of(path.substring("file:".length()).replaceFirst("^//", "")));
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(path);
        String name = remote.getName();
        Path local = Files.createTempFile("ser-audio-", name.substring(Math.max(0, name.lastIndexOf('.'))));
        try {
            FileSystem fs = remote.getFileSystem(hadoop);
            try (FSDataInputStream in = fs.open(remote)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
            return use.apply(local);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
