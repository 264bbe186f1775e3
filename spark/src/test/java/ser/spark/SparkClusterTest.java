package ser.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.cli.Main;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The jobs on a real standalone cluster on this machine (tools/spark-cluster.sh: a Master and two Workers, each a
 * JVM of its own, and an executor JVM per worker): the code travels to the executors as it would to a remote
 * cluster's. Skipped when the cluster cannot be started here (no loopback ports, no curl, too slow a machine).
 * -Dser.sparkCluster.skip=true leaves it out.
 */
class SparkClusterTest {

    @TempDir
    static Path tmp;
    static String master;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("ser.sparkCluster.skip"), "-Dser.sparkCluster.skip");
        Process p = cluster("start");
        boolean done = p.waitFor(150, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!done) p.destroyForcibly();
        Assumptions.assumeTrue(done && p.exitValue() == 0 && out.startsWith("spark://"),
                "could not start the standalone cluster: " + Files.readString(tmp.resolve("cluster.err")));
        master = out;
        spark = Sessions.open("ser cluster test", master);
    }

    @AfterAll
    static void stop() throws Exception {
        if (spark != null) spark.stop();
        if (tmp != null) cluster("stop").waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void featuresAndPredictionOnTwoWorkers() throws Exception {
        Path manifest = TinyCorpus.write(tmp.resolve("corpus"));
        Path cli = tmp.resolve("cli-mel");
        assertEquals(3, Main.run("features", "--data", manifest.toString(), "--kind", "mel", "--labels", "all", "--out", cli.toString()));
        String mel = tmp.resolve("spark-mel").toString();
        FeatureSpec melSpec = new FeatureSpec("mel", null, null, null, null, 0);
        assertEquals(new FeaturesJob.Counts(TinyCorpus.goodFiles(), 1), FeaturesJob.run(spark, melSpec, manifest.toString(), mel, List.of(), false, 4));
        SparkJobsTest.assertSameAsCli(spark, mel, cli);

        // A run to predict with, trained locally (training from the table is SparkJobsTest's): the cluster's part is the jobs.
        Path run = tmp.resolve("run");
        assertEquals(3, Main.run("train", "--config", "../config/train-prosody.yaml", "--data", manifest.toString(),
                "--out", run.toString(), "--set", "training.epochs=1", "--set", "split={kind: speakers, val_speakers: 1, test_speakers: 1}"));
        long[] counts = PredictJob.run(spark, run.toString(), manifest.toString(), tmp.resolve("predictions").toString(), "parquet", 4);
        assertEquals(TinyCorpus.goodFiles(), counts[0]);
        assertEquals(1, counts[1]);
    }

    /** tools/spark-cluster.sh with its state in this test's folder and ports nobody holds now. */
    private static Process cluster(String command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("../tools/spark-cluster.sh").toString(), command)
                .redirectError(tmp.resolve("cluster.err").toFile());
        pb.environment().put("SER_SPARK_CLUSTER_DIR", tmp.resolve("cluster").toString());
        if (command.equals("start")) {
            pb.environment().put("SER_SPARK_PORT", Integer.toString(freePort()));
            pb.environment().put("SER_SPARK_UI_PORT", Integer.toString(freePort()));
        }
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
