package ser.spark;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import ser.SerException;

import java.io.IOException;
import java.util.Arrays;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

/**
 * A manifest as a table of {@code path, label, speaker, corpus}: a CSV file with a header (the engine's manifest
 * format, so that {@code ser features --data M.csv} reads the same file) or a Parquet table with those columns.
 * Only {@code path} is required; the others are null when absent.
 *
 * <p>Paths may be local, {@code hdfs://} or {@code s3a://}; a relative path is resolved against the manifest's
 * folder, as the engine resolves it. A local path comes out as a plain absolute path ({@code /data/a.wav}, the key
 * {@code ser train --features} matches against the engine's corpus), any other as a URI.
 */
final class Manifest {

    static final String[] COLUMNS = {"path", "label", "speaker", "corpus"};

    private Manifest() {}

    static Dataset<Row> read(SparkSession spark, String manifest) {
        Path file = new Path(manifest);
        Path qualified;
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            qualified = fs.makeQualified(file);
            if (!fs.exists(qualified)) throw new SerException(manifest + ": no such manifest");
        } catch (IOException e) {
            throw new SerException(manifest + ": cannot read (" + e.getMessage() + ")", e);
        }
        boolean parquet = manifest.endsWith(".parquet") || !manifest.endsWith(".csv") && isDirectory(spark, qualified);
        Dataset<Row> raw = parquet ? spark.read().parquet(qualified.toString())
                : spark.read().option("header", true).option("comment", "#").csv(qualified.toString());
        if (!Arrays.asList(raw.columns()).contains("path")) {
            throw new SerException(manifest + ": has no 'path' column (expected a header path,label,speaker,corpus)");
        }
        Path parent = qualified.getParent();
        String base = ("file".equals(parent.toUri().getScheme()) ? parent.toUri().getPath() : parent.toString()) + "/";
        Column path = trim(col("path"));
        // Absolute (/x) or with a scheme (hdfs://, s3a://, file:/) as it is; relative against the manifest's folder.
        Column resolved = when(path.rlike("^(/|[A-Za-z][A-Za-z0-9+.-]*:)"), path).otherwise(concat(lit(base), path));
        Column[] select = new Column[COLUMNS.length];
        select[0] = resolved.as("path");
        for (int i = 1; i < COLUMNS.length; i++) {
            String c = COLUMNS[i];
            select[i] = (Arrays.asList(raw.columns()).contains(c) ? col(c).cast("string") : lit(null).cast("string")).as(c);
        }
        return raw.filter(col("path").isNotNull().and(trim(col("path")).notEqual(""))).select(select);
    }

    private static boolean isDirectory(SparkSession spark, Path p) {
        try {
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p).isDirectory();
        } catch (IOException e) {
            return false;
        }
    }
}
