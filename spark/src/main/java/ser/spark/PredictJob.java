package ser.spark;

import org.apache.hadoop.conf.Configuration;
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
import ser.api.EmotionRecognizer;
import ser.api.Prediction;
import ser.tensor.Devices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import static org.apache.spark.sql.functions.col;

/**
 * {@code ser spark predict}: a trained run ({@link EmotionRecognizer}) over a manifest, on the executors. Writes
 * {@code OUT/predictions} (path, label from the manifest, predicted, then {@code p_<class>}: one probability column
 * per class, in the model's order) as Parquet or CSV, and {@code OUT/errors} (path, message) for files that could
 * not be read. Each executor JVM opens the run once.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A trained run's predictions for a manifest's audio files, on Spark.")
public final class PredictJob implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "R", description = "A run directory (ser train); the same path on every executor.")
    String run;

    @Option(names = "--manifest", required = true, paramLabel = "M", description = "CSV or Parquet: path[,label,speaker,corpus].")
    String manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Gets predictions/ and errors/.")
    String out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|csv", description = "Of predictions/. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N", description = "Tasks to split the manifest into; 0: Spark's default.")
    int partitions;

    @Option(names = "--device", paramLabel = "SPEC",
            description = "What the model's HuBERT encoder runs on, on each executor: " + Devices.SPECS + ". auto uses "
                    + "the executor's GPU when one can run there, else its CPU (with a notice on its stderr); cuda stops "
                    + "with the reason when it cannot. Log-Mel features and the classifier run on the CPU. Default: the "
                    + "run's recipe's device:, else cpu.")
    String device;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master; default: spark-submit's, else local[*].")
    String master;

    public static void main(String[] args) {
        System.exit(SparkMain.execute(new CommandLine(new PredictJob()), args));
    }

    /** One recognizer per run per executor JVM, opened on first use. */
    private static final Map<String, EmotionRecognizer> PER_JVM = new ConcurrentHashMap<>();

    static EmotionRecognizer recognizer(String run, String device) {
        return PER_JVM.computeIfAbsent(run + "\n" + device,
                k -> EmotionRecognizer.open(Path.of(run), device, line -> System.err.println("ser: " + line)));
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("parquet", "csv").contains(format)) throw new SerException("--format must be parquet or csv, got '" + format + "'");
        try (SparkSession spark = Sessions.open("ser predict", master)) {
            if (device != null) {
                try {
                    Devices.Spec.parse(device);
                } catch (SerException e) {
                    throw new SerException("--device: " + e.getMessage(), e);
                }
            }
            long[] c = run(spark, run, manifest, out, format, partitions, device);
            System.out.printf("%s/predictions: %d files, %s/errors: %d files that could not be read%n", out, c[0], out, c[1]);
            return c[1] == 0 ? 0 : 3;
        }
    }

    static long[] run(SparkSession spark, String run, String manifest, String out, String format, int partitions) {
        return run(spark, run, manifest, out, format, partitions, null);
    }

    /** @param device what each executor runs HuBERT on ({@link Devices.Spec}); null for the run's recipe's, else cpu */
    static long[] run(SparkSession spark, String run, String manifest, String out, String format, int partitions, String device) {
        List<String> labels = recognizer(run, device).labels(); // on the driver: the run must open before any task starts
        StructType schema = new StructType().add("path", DataTypes.StringType, false).add("label", DataTypes.StringType)
                .add("predicted", DataTypes.StringType);
        for (String l : labels) schema = schema.add("p_" + l, DataTypes.DoubleType);
        schema = schema.add("error", DataTypes.StringType);
        Dataset<Row> todo = Manifest.read(spark, manifest);
        // An explicit count of tasks: a small manifest would otherwise be one partition, computed on one core.
        todo = todo.repartition(partitions > 0 ? partitions : spark.sparkContext().defaultParallelism());

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
        int classes = labels.size();
        JavaRDD<Row> rows = todo.javaRDD().mapPartitions(part -> {
            EmotionRecognizer model = recognizer(run, device);
            Configuration conf = hadoop.value().value();
            return Rows.map(part, r -> predict(model, conf, r, classes));
        });
        Dataset<Row> result = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long all = result.count();
            Dataset<Row> good = result.filter(col("error").isNull()).drop("error");
            var writer = good.write().mode(SaveMode.Overwrite);
            if (format.equals("csv")) writer.option("header", true).csv(out + "/predictions");
            else writer.parquet(out + "/predictions");
            Dataset<Row> bad = result.filter(col("error").isNotNull()).select(col("path"), col("error").as("message"));
            bad.coalesce(1).write().mode(SaveMode.Overwrite).parquet(out + "/errors");
            long errors = bad.count();
            return new long[] {all - errors, errors};
        } finally {
            result.unpersist();
        }
    }

    private static Row predict(EmotionRecognizer model, Configuration conf, Row r, int classes) {
        String path = r.getString(0);
        Object[] values = new Object[3 + classes + 1];
        values[0] = path;
        values[1] = r.get(1);
        try {
            // One recognizer per executor JVM, shared by its task threads (EmotionRecognizer is made for that), so
            // reading one file overlaps labelling another.
            Prediction p = AudioFiles.withLocalFile(path, conf, model::classify);
            values[2] = p.label();
            int i = 3;
            for (double v : p.probabilities().values()) values[i++] = v;
        } catch (SerException | IOException | UncheckedIOException e) {
            String m = String.valueOf(e.getMessage());
            values[3 + classes] = m.startsWith(path + ": ") ? m.substring(path.length() + 2) : m;
        }
        return RowFactory.create(values);
    }
}
