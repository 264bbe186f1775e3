package ser.api;

import ser.Progress;
import ser.eval.ClassificationMetrics;
import ser.job.TrainJob;
import ser.train.TrainingListener;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Training from a recipe, as {@code ser train} does it, in one call: a YAML recipe (one of {@code config/}'s, or a
 * file), the corpora, and a run directory that {@link EmotionRecognizer#open} then opens. Corpus reading, the split,
 * feature caching, training, checkpoints and the test-set evaluation are the command's; progress goes to
 * {@link #log} when one is given.
 */
public final class Training {

    private final Path recipe;
    private final List<Path> data;
    private Long seed;
    private String device;
    private final List<String> overrides = new ArrayList<>();
    private PrintStream log = new PrintStream(OutputStream.nullOutputStream());

    private Training(Path recipe, List<Path> data) {
        this.recipe = Objects.requireNonNull(recipe, "recipe");
        this.data = List.copyOf(data);
    }

    /** Training with the recipe {@code recipe} on the corpora {@code data} (directories or CSV manifests). */
    public static Training of(Path recipe, List<Path> data) {
        return new Training(recipe, data);
    }

    /** The run's seed instead of the recipe's. */
    public Training seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** A recipe value changed, as {@code key.path=value} ({@code training.epochs=5}). */
    public Training set(String keyValue) {
        overrides.add(keyValue);
        return this;
    }

    /** What HuBERT feature extraction and the model's training run on ({@code cpu}, {@code cuda}, {@code auto}). */
    public Training device(String spec) {
        this.device = spec;
        return this;
    }

    /** Where the job's lines go (corpus, split, epochs, the test scores); by default nowhere. */
    public Training log(PrintStream log) {
        this.log = Objects.requireNonNull(log);
        return this;
    }

    /** One trained run: its directory (for {@link EmotionRecognizer#open}) and its scores on its held-out test part. */
    public record Run(Path directory, double accuracy, double unweightedAccuracy, double macroF1) {}

    /**
     * Trains into {@code out} (a new directory; one run, or one per fold below it for a k-fold recipe) and returns
     * each run with its test scores. Throws {@link ser.SerException} naming the file or key at fault.
     */
    public List<Run> run(Path out) {
        TrainJob.Result result = new TrainJob(recipe, data, out, false, null, Runtime.getRuntime().availableProcessors(),
                seed, overrides, device).run(log, Progress.Factory.NONE, TrainingListener.SILENT);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < result.runs().size(); i++) {
            ClassificationMetrics m = result.tests().get(i);
            runs.add(new Run(result.runs().get(i), m.accuracy(), m.uar(), m.macroF1()));
        }
        return runs;
    }
}
