package ser.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ser.SerException;
import ser.tensor.Devices;
import ser.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ser spark features}: a manifest's audio files to a Parquet table of features, computed on the executors.
 *
 * <p>Writes {@code OUT/features} (path, label, speaker, corpus, config, shape, features as array&lt;float&gt;,
 * partitioned by {@code --partition-by}) and {@code OUT/errors} (path, message): a file that cannot be read or
 * decoded is a row there, never a failed job. Both go through Spark's output committer, so a killed job leaves
 * no half-written table. {@code --mode overwrite} recomputes everything; {@code --mode skip-existing} computes only
 * the files not in {@code OUT/features} yet (and retries the errors), so re-running after a crash or with a longer
 * manifest does the missing work once.
 */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Features of a manifest's audio files (log-Mel, HuBERT states or prosody) on Spark, into Parquet.")
public final class FeaturesJob implements Callable<Integer> {

    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("label", DataTypes.StringType).add("speaker", DataTypes.StringType).add("corpus", DataTypes.StringType)
            .add("config", DataTypes.StringType)
            .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false))
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("error", DataTypes.StringType);

    @Option(names = "--manifest", required = true, paramLabel = "M",
            description = "CSV (header path,label,speaker,corpus) or Parquet; paths local, hdfs:// or s3a://, relative ones against M's folder.")
    String manifest;

    @Option(names = "--kind", required = true, paramLabel = "mel|hubert|prosody",
            description = "As 'ser features --kind': log-Mel spectrograms, HuBERT hidden states, or the 61 prosodic functionals.")
    String kind;

    @Option(names = "--config", paramLabel = "FILE", description = "Log-Mel config (YAML); default: the embedded seed config.")
    String melConfig;

    @Option(names = "--weights", paramLabel = "W", description = "HuBERT engine weights (ser convert); the same path on every executor.")
    String weights;

    @Option(names = "--layers", defaultValue = "all", paramLabel = "all|N,M", description = "HuBERT states to keep. Default: ${DEFAULT-VALUE}.")
    String layers;

    @Option(names = "--pool", defaultValue = "mean", paramLabel = "mean|none", description = "HuBERT: mean over frames, or every frame. Default: ${DEFAULT-VALUE}.")
    String pool;

    @Option(names = "--max-seconds", defaultValue = "0", paramLabel = "S", description = "HuBERT reads at most S seconds of each file; 0: all.")
    double maxSeconds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Gets features/ and errors/ (Parquet).")
    String out;

    @Option(names = "--partition-by", split = ",", paramLabel = "COL", description = "Partition columns of features/, e.g. corpus or corpus,label.")
    List<String> partitionBy = List.of();

    @Option(names = "--mode", defaultValue = "overwrite", paramLabel = "overwrite|skip-existing", description = "Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Tasks to split the manifest into; 0: Spark's default parallelism (the executors' cores).")
    int partitions;

    @Option(names = "--device", paramLabel = "SPEC",
            description = "What HuBERT runs on, on each executor: " + Devices.SPECS + ". auto uses the executor's GPU "
                    + "when one can run there, else its CPU (with a notice on its stderr); cuda stops with the reason "
                    + "when it cannot. Log-Mel and prosody features are computed on the CPU. Default: cpu.")
    String device;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master; default: spark-submit's, else local[*].")
    String master;

    public static void main(String[] args) {
        System.exit(SparkMain.execute(new CommandLine(new FeaturesJob()), args));
    }

    /** What a run did: rows written to features/ and to errors/. */
    record Counts(long features, long errors) {}

    @Override
    public Integer call() throws Exception {
        FeatureSpec spec = new FeatureSpec(kind, melConfig, weights, layers, pool, maxSeconds, device);
        if (!List.of("overwrite", "skip-existing").contains(mode)) throw new SerException("--mode must be overwrite or skip-existing, got '" + mode + "'");
        for (String c : partitionBy) {
            if (!List.of("label", "speaker", "corpus").contains(c)) throw new SerException("--partition-by: " + c + " is not label, speaker or corpus");
        }
        try (SparkSession spark = Sessions.open("ser features", master)) {
            Counts c = run(spark, spec, manifest, out, partitionBy, mode.equals("skip-existing"), partitions);
            System.out.printf("%s/features: %d rows written, %s/errors: %d files that could not be read%n", out, c.features, out, c.errors);
            return c.errors == 0 ? 0 : 3;
        }
    }

    static Counts run(SparkSession spark, FeatureSpec spec, String manifest, String out, List<String> partitionBy,
                      boolean skipExisting, int partitions) {
        String key = spec.extractor().key(); // on the driver too: checks the options and weights before any task runs
        Dataset<Row> todo = Manifest.read(spark, manifest).dropDuplicates("path");
        String featuresDir = out + "/features", errorsDir = out + "/errors";
        boolean append = skipExisting && exists(spark, featuresDir);
        if (append) {
            Dataset<Row> done = spark.read().parquet(featuresDir);
            List<Row> configs = done.select("config").distinct().collectAsList();
            if (configs.stream().anyMatch(r -> !key.equals(r.getString(0)))) {
                throw new SerException(featuresDir + " holds features of another config " + configs + ", this one is " + key
                        + "; use another --out or --mode overwrite");
            }
            todo = todo.join(done.select("path"), todo.col("path").equalTo(done.col("path")), "left_anti");
        }
        // Always an explicit count of tasks: a manifest is a few kB, which Spark would read (and its adaptive
        // execution would shuffle) into a single partition, and so compute on a single core.
        todo = todo.repartition(partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        JavaRDD<Row> rows = todo.javaRDD().mapPartitions(part -> {
            FeatureSpec.Extractor extractor = spec.extractor(); // this executor JVM's one engine
            Configuration conf = hadoop.value().value();
            return Rows.map(part, r -> extract(extractor, conf, r));
        });
        // Kept: features/ and errors/ are two writes of one computation, which must not run twice.
        Dataset<Row> result = spark.createDataFrame(rows, SCHEMA).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long all = result.count();
            Dataset<Row> good = result.filter(col("error").isNull()).drop("error");
            good.write().mode(append ? SaveMode.Append : SaveMode.Overwrite).partitionBy(partitionBy.toArray(String[]::new)).parquet(featuresDir);
            Dataset<Row> bad = result.filter(col("error").isNotNull()).select(col("path"), col("error").as("message"));
            bad.coalesce(1).write().mode(SaveMode.Overwrite).parquet(errorsDir);
            long errors = bad.count();
            return new Counts(all - errors, errors);
        } finally {
            result.unpersist();
        }
    }

    /** One manifest row to one result row: its features, or the reason it has none. */
    private static Row extract(FeatureSpec.Extractor extractor, Configuration conf, Row r) {
        String path = r.getString(0);
        try {
            Tensor t = AudioFiles.withLocalFile(path, conf, extractor::compute);
            return RowFactory.create(path, r.get(1), r.get(2), r.get(3), extractor.key(), box(t.shape()), box(t.contiguous().toArray()), null);
        } catch (SerException | IOException | UncheckedIOException e) {
            // A bad file (unreadable, truncated, not audio, too short) is a row of errors/, not a failed task.
            String m = String.valueOf(e.getMessage());
            if (m.startsWith(path + ": ")) m = m.substring(path.length() + 2);
            return RowFactory.create(path, r.get(1), r.get(2), r.get(3), extractor.key(), null, null, e instanceof SerException ? m : e.toString());
        }
    }

    static boolean exists(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(new Path(p, "_SUCCESS"));
        } catch (IOException e) {
            throw new SerException(dir + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static Integer[] box(int[] a) {
        return Arrays.stream(a).boxed().toArray(Integer[]::new);
    }

    private static Float[] box(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i];
        return b;
    }
}
