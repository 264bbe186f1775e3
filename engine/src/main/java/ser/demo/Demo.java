package ser.demo;

import ser.Progress;
import ser.api.EmotionRecognizer;
import ser.api.Prediction;
import ser.job.TrainJob;
import ser.run.DataRecord;
import ser.synth.SyntheticCorpus;
import ser.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The main job end to end on one command: a corpus (the synthetic one unless the caller has data), the demo recipe
 * ({@code config/train-demo.yaml}) trained with whole speakers held out, the held-out speakers scored with plots,
 * and one of their clips labelled.
 */
public final class Demo {

    /**
     * What the demo makes and trains with.
     *
     * @param recipe   a train config (a built-in name or a file)
     * @param speakers synthetic voices; the recipe holds some out for validation and test
     * @param clips    synthetic clips per emotion and voice
     * @param seconds  synthetic clip length
     */
    public record Plan(Path recipe, int speakers, int clips, double seconds) {
        /** 12 voices × 4 emotions × 12 clips of 1.5 s (about 7 MB, made in seconds), config/train-demo.yaml. */
        public static final Plan DEFAULT = new Plan(Path.of("train-demo.yaml"), 12, 12, 1.5);
    }

    static final long SEED = 42;

    /** Where everything went. */
    public record Result(Path corpus, Path run, Path metrics, Path confusion, Path curves, Prediction example) {}

    private Demo() {}

    /** @param data a real corpus, or null for the synthetic one (made under {@code out/corpus} unless already there) */
    public static Result run(Plan plan, Path data, Path out, int threads, PrintStream log, Progress.Factory progress,
                             TrainingListener listener) {
        Path corpus = data != null ? data : synthesize(plan, out.resolve("corpus"), log);
        Path run = fresh(out.resolve("run"));
        new TrainJob(plan.recipe(), corpus, run, false, out.resolve(".features"), threads).run(log, progress, listener);

        List<String> test = DataRecord.part(run.resolve("data.json"), "test");
        Path clip = DataRecord.read(run.resolve("data.json")).data().getFirst().resolve(test.getFirst());
        Prediction example = EmotionRecognizer.open(run).classify(clip);
        return new Result(corpus, run, run.resolve("test/metrics.json"), run.resolve("test/confusion.png"),
                run.resolve("curves.png"), example);
    }

    private static Path synthesize(Plan plan, Path dir, PrintStream log) {
        if (Files.isRegularFile(dir.resolve("README.txt"))) {
            log.println("synthetic corpus: reusing " + dir);
            return dir;
        }
        log.printf(Locale.ROOT, "synthetic corpus: %d voices x 4 emotions x %d clips of %.1f s into %s%n",
                plan.speakers(), plan.clips(), plan.seconds(), dir);
        SyntheticCorpus.generate(dir, plan.speakers(), plan.clips(), List.of("NEU", "HAP", "SAD", "ANG"), SEED, plan.seconds());
        return dir;
    }

    /** {@code dir}, or {@code dir-2}, {@code dir-3}, … : the first that does not exist, so a rerun keeps the last. */
    static Path fresh(Path dir) {
        Path candidate = dir;
        for (int k = 2; Files.exists(candidate); k++) candidate = dir.resolveSibling(dir.getFileName() + "-" + k);
        return candidate;
    }
}
