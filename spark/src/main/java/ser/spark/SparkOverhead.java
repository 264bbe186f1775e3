package ser.spark;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * bench/spark.sh's measure of what Spark adds per file, apart from start-up: in one warm JVM, the best of REPS runs
 * of the features job on 1 file and on all N files of a manifest, against the engine's extractor called on the same
 * N files in a plain loop. Spark's cost per file is (T(N) - T(1)) / (N - 1); less the engine's own cost per file,
 * that is its overhead (scheduling, rows, Parquet). T(1) less one file's compute is the fixed cost of a job.
 *
 * <p>{@code SparkOverhead MANIFEST_ALL MANIFEST_ONE OUT KIND [WEIGHTS] [REPS]}, on local[1]; manifests as
 * bench SparkInputs writes them (relative paths in the first column, a header).
 */
public final class SparkOverhead {

    public static void main(String[] args) throws Exception {
        String all = args[0], one = args[1], out = args[2], kind = args[3];
        String weights = args.length > 4 && !args[4].equals("-") ? args[4] : null;
        int reps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        FeatureSpec spec = new FeatureSpec(kind, null, weights, "all", "mean", 0);
        Path manifest = Path.of(all).toAbsolutePath();
        List<Path> files = Files.readAllLines(manifest).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> manifest.getParent().resolve(l.split(",")[0])).toList();
        try (SparkSession spark = Sessions.open("ser overhead", "local[1]")) {
            FeaturesJob.run(spark, spec, one, out, List.of(), false, 1); // warm-up: classes, JIT, the extractor
            FeaturesJob.run(spark, spec, all, out, List.of(), false, 1);
            double t1 = Double.MAX_VALUE, tn = Double.MAX_VALUE, engine = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long a = System.nanoTime();
                FeaturesJob.run(spark, spec, one, out, List.of(), false, 1);
                long b = System.nanoTime();
                FeaturesJob.run(spark, spec, all, out, List.of(), false, 1);
                long c = System.nanoTime();
                for (Path f : files) spec.extractor().compute(f);
                long d = System.nanoTime();
                t1 = Math.min(t1, (b - a) / 1e9);
                tn = Math.min(tn, (c - b) / 1e9);
                engine = Math.min(engine, (d - c) / 1e9);
            }
            int n = files.size();
            double marginal = (tn - t1) / (n - 1), own = engine / n;
            System.out.printf(Locale.ROOT, "%s, %d files, best of %d in one warm JVM on local[1]: job on 1 file %.3f s, on %d files %.3f s; "
                    + "engine loop %.3f s%n", kind, n, reps, t1, n, tn, engine);
            if (marginal <= own) {
                // The job on N files took no longer than on one, less than the engine's own work: the fixed cost's
                // spread between runs hides the per-file cost at this N, and a difference would be noise.
                System.out.printf(Locale.ROOT, "%s per file: not resolved at %d files (the job on all of them took %.3f s more "
                        + "than on one, the engine alone %.3f s); run with more files; fixed cost of a job %.3f s%n",
                        kind, n, tn - t1, engine, t1 - own);
            } else {
                System.out.printf(Locale.ROOT, "%s per file: Spark %.4f s, engine alone %.4f s, Spark's overhead %.4f s per file; "
                        + "fixed cost of a job %.3f s%n", kind, marginal, own, marginal - own, t1 - own);
            }
        }
    }
}
