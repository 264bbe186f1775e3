package ser.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.cli.Main;
import ser.data.CorpusSet;
import ser.io.Npy;
import ser.run.TrainConfig;
import ser.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs on Spark's local mode (local[2]: two task threads sharing one engine), against 'ser features' and
 * 'ser train' run in this JVM on the same files.
 */
class SparkJobsTest {

    @TempDir
    static Path tmp;
    static Path manifest;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        manifest = TinyCorpus.write(tmp.resolve("corpus"));
        spark = Sessions.open("ser tests", "local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void melFeaturesEqualSerFeaturesBitForBitAndBadFilesAreErrors() {
        Path cli = tmp.resolve("cli-mel");
        assertEquals(3, Main.run("features", "--data", manifest.toString(), "--kind", "mel", "--labels", "all", "--out", cli.toString()));
        String out = tmp.resolve("spark-mel").toString();
        FeaturesJob.Counts c = FeaturesJob.run(spark, new FeatureSpec("mel", null, null, null, null, 0), manifest.toString(), out,
                List.of("corpus"), false, 3);
        assertEquals(new FeaturesJob.Counts(TinyCorpus.goodFiles(), 1), c);
        assertSameAsCli(spark, out, cli);
        assertTrue(Files.isDirectory(Path.of(out, "features", "corpus=syn-a")), "partitioned by corpus");

        List<Row> errors = spark.read().parquet(out + "/errors").collectAsList();
        assertEquals(1, errors.size());
        assertTrue(errors.getFirst().getString(0).endsWith(TinyCorpus.BAD), errors.toString());
        assertTrue(!errors.getFirst().getString(1).isBlank());

        // Restarting: nothing is computed twice or written twice, and the bad file is tried again.
        c = FeaturesJob.run(spark, new FeatureSpec("mel", null, null, null, null, 0), manifest.toString(), out, List.of("corpus"), true, 3);
        assertEquals(new FeaturesJob.Counts(0, 1), c);
        assertEquals(TinyCorpus.goodFiles(), spark.read().parquet(out + "/features").count());
        assertSameAsCli(spark, out, cli);
    }

    @Test
    void hubertStatesEqualSerFeaturesBitForBit() throws Exception {
        Path weights = tmp.resolve("small.safetensors");
        Path fixtures = Path.of(SparkJobsTest.class.getResource("/fixtures/hubert").toURI());
        assertEquals(0, Main.run("convert", fixtures.resolve("small-base/hf").toString(), "--out", weights.toString()));
        Path cli = tmp.resolve("cli-hubert");
        assertEquals(3, Main.run("features", "--data", manifest.toString(), "--kind", "hubert", "--weights", weights.toString(),
                "--layers", "0,2", "--pool", "none", "--labels", "all", "--out", cli.toString()));
        String out = tmp.resolve("spark-hubert").toString();
        FeaturesJob.Counts c = FeaturesJob.run(spark, new FeatureSpec("hubert", null, weights.toString(), "0,2", "none", 0),
                manifest.toString(), out, List.of(), false, 2);
        assertEquals(new FeaturesJob.Counts(TinyCorpus.goodFiles(), 1), c);
        assertSameAsCli(spark, out, cli);
    }

    @Test
    void trainsFromTheTableAndPredictsOnSpark() throws Exception {
        String out = tmp.resolve("spark-prosody").toString();
        FeaturesJob.run(spark, new FeatureSpec("prosody", null, null, null, null, 0), manifest.toString(), out, List.of(), false, 2);

        // ser train --features: the table fills the run's cache, and training computes nothing itself.
        Path cache = tmp.resolve("cache");
        List<String> overrides = List.of("training.epochs=2", "split={kind: speakers, val_speakers: 1, test_speakers: 1}");
        TrainConfig recipe = TrainConfig.load(Path.of("../config/train-prosody.yaml"), overrides);
        int written = FeaturesToCache.fill(spark, out + "/features", recipe.openFeatures(), CorpusSet.open(List.of(manifest)), cache);
        assertEquals(TinyCorpus.goodFiles(), written);
        Map<Path, FileTime> before = npyTimes(cache);
        Path run = tmp.resolve("run");
        assertEquals(3, Main.run("train", "--config", "../config/train-prosody.yaml", "--data", manifest.toString(), "--cache", cache.toString(),
                "--out", run.toString(), "--set", overrides.get(0), "--set", overrides.get(1)));
        assertEquals(before, npyTimes(cache), "training reused the table's arrays");

        long[] counts = PredictJob.run(spark, run.toString(), manifest.toString(), tmp.resolve("predictions").toString(), "csv", 2);
        assertEquals(TinyCorpus.goodFiles(), counts[0]);
        assertEquals(1, counts[1]);
        Row first = spark.read().option("header", true).option("inferSchema", true).csv(tmp.resolve("predictions/predictions").toString())
                .orderBy("path").first();
        double sum = 0;
        for (String field : first.schema().fieldNames()) if (field.startsWith("p_")) sum += first.<Double>getAs(field);
        assertEquals(1, sum, 1e-4);
    }

    @Test
    void readsOtherFileSystemsThroughHadoop() throws Exception {
        spark.sparkContext().hadoopConfiguration().set("fs." + OtherSchemeFileSystem.SCHEME + ".impl", OtherSchemeFileSystem.class.getName());
        List<Path> audio;
        try (Stream<Path> files = Files.list(manifest.getParent().resolve("audio"))) {
            audio = files.filter(f -> f.toString().endsWith("_XX.wav")).sorted().limit(2).toList();
        }
        StringBuilder csv = new StringBuilder("path,label\n");
        for (Path f : audio) csv.append(OtherSchemeFileSystem.SCHEME).append("://").append(f.toAbsolutePath()).append(",NEU\n");
        Path remote = Files.writeString(tmp.resolve("remote.csv"), csv);
        FeatureSpec mel = new FeatureSpec("mel", null, null, null, null, 0);
        String out = tmp.resolve("spark-remote").toString();
        assertEquals(new FeaturesJob.Counts(2, 0), FeaturesJob.run(spark, mel, remote.toString(), out, List.of(), false, 1));
        for (Row r : spark.read().parquet(out + "/features").collectAsList()) {
            assertTrue(r.getString(0).startsWith(OtherSchemeFileSystem.SCHEME + ":///"), r.getString(0));
            Path local = Path.of(r.getString(0).substring(OtherSchemeFileSystem.SCHEME.length() + 3));
            List<Float> values = r.getList(r.fieldIndex("features"));
            float[] actual = new float[values.size()];
            for (int i = 0; i < actual.length; i++) actual[i] = values.get(i);
            assertArrayEquals(mel.extractor().compute(local).contiguous().toArray(), actual, local.toString());
        }
    }

    /** Every row of OUT/features has exactly the array 'ser features' wrote for its file, bit for bit. */
    static void assertSameAsCli(SparkSession spark, String out, Path cli) {
        List<Row> rows = spark.read().parquet(out + "/features").select("path", "shape", "features").collectAsList();
        assertEquals(TinyCorpus.goodFiles(), rows.size());
        for (Row r : rows) {
            Path audio = Path.of(r.getString(0));
            Path npy = cli.resolve(audio.getParent().getFileName().toString()).resolve(audio.getFileName().toString().replace(".wav", ".npy"));
            Tensor expected = Npy.read(npy);
            List<Integer> shape = r.getList(1);
            assertArrayEquals(expected.shape(), shape.stream().mapToInt(Integer::intValue).toArray(), npy.toString());
            List<Float> values = r.getList(2);
            float[] actual = new float[values.size()];
            for (int i = 0; i < actual.length; i++) actual[i] = values.get(i);
            assertArrayEquals(expected.contiguous().toArray(), actual, npy.toString()); // Float.equals: bit for bit
        }
    }

    private static Map<Path, FileTime> npyTimes(Path dir) throws Exception {
        Map<Path, FileTime> times = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".npy")).toList()) times.put(f, Files.getLastModifiedTime(f));
        }
        return times;
    }
}
