package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ser.demo.Demo;
import ser.io.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ser demo}: the whole job on the embedded default, in a couple of minutes. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Runs the main job end to end: makes a SYNTHETIC emotional-speech corpus (a source-filter voice whose "
                        + "pitch, tempo, loudness, spectral tilt and jitter follow each emotion; 12 synthetic "
                        + "speakers), trains the small Mel CNN of config/train-demo.yaml on it with two speakers "
                        + "held out for validation and two for test, scores the test speakers, writes the "
                        + "confusion matrix and training curves, and labels one held-out clip.",
                "With --data it does the same on a real corpus (CREMA-D, RAVDESS, EmoDB or a CSV manifest).",
                "Scores on the synthetic corpus say nothing about real emotion recognition."},
        footerHeading = "%nExamples:%n",
        footer = {"  ser demo", "  ser demo --data ~/data/ravdess --out demo-ravdess", ExitCodes.FOOTER})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR|CSV", description = "A real corpus instead of the synthetic one.")
    Path data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "Output directory. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "Feature extraction threads. Default: the processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        long start = System.nanoTime();
        TrainingProgress progress = new TrainingProgress(System.err);
        Demo.Result r = Demo.run(Demo.Plan.DEFAULT, data, out, Inputs.threads(threads), System.err, progress, progress);
        Map<?, ?> metrics = (Map<?, ?>) Json.read(r.metrics());
        PrintStream o = System.out;
        o.println();
        o.printf(Locale.ROOT, "ser demo finished in %.0f s%n", (System.nanoTime() - start) / 1e9);
        o.println("  corpus:      " + r.corpus() + (data == null ? "  (synthetic; see its README.txt)" : ""));
        o.println("  run:         " + r.run() + "  (config.yaml, metrics.jsonl, train.log, checkpoints/)");
        o.printf(Locale.ROOT, "  test:        %s  accuracy %.3f, UAR %.3f on held-out speakers%n", r.metrics(),
                ((Number) metrics.get("accuracy")).doubleValue(), ((Number) metrics.get("uar")).doubleValue());
        o.println("  plots:       " + r.confusion() + ", " + r.curves());
        o.println("  prediction:  " + Json.write(r.example().toJson()));
        o.println("  next:        ser predict --run " + r.run() + " FILE.wav   |   ser evaluate --run " + r.run());
        return 0;
    }
}
