package ser.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ser.SerException;
import ser.job.TrainJob;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.tensor.Devices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code ser train}: one training run (or one per fold) from a recipe and a corpus. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Trains a classifier on a corpus with a recipe (YAML): features through the feature cache, the "
                        + "recipe's split, seeded batches, validation each epoch, best and last checkpoints, early "
                        + "stopping, then the test part scored with the best weights.",
                "The run directory gets config.yaml (as used), model.yaml, mel.yaml, labels.json, data.json, "
                        + "metrics.jsonl, train.log, checkpoints/{best,last}.safetensors, curves.png and test/. "
                        + "k-fold recipes make fold-N/ run directories and a summary.json.",
                "A killed run continues with --resume and ends exactly as an unbroken run would."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser train --config config/train-mel-seed.yaml --data ~/data/ravdess --out runs/seed",
                "  ser train --config config/train-cross-corpus.yaml --data ~/data/ravdess --data ~/data/emovo/manifest.csv --out runs/cc",
                "  ser train --resume runs/seed",
                ExitCodes.FOOTER})
public final class TrainCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--config", paramLabel = "FILE",
                description = "The recipe, e.g. config/train-mel.yaml (a built-in name works from any directory).")
        Path config;

        @Option(names = "--resume", paramLabel = "RUN", description = "Continue the run in this directory.")
        Path resume;
    }

    @Option(names = "--data", paramLabel = "DIR|CSV",
            description = "A corpus: a directory of CREMA-D, RAVDESS, EmoDB, EMOVO, TESS or SAVEE files, or a CSV "
                    + "manifest. Repeat it to train on several corpora (each keeps its name, the folder's, and its "
                    + "speakers). Needed for a new run unless the recipe's data.corpora give paths; a resumed run "
                    + "remembers its own.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "The run directory. Default: runs/<recipe name>-<date>-<time>.")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where features are cached. Default: .features/ beside the run directory.")
    Path cache;

    @Option(names = "--seed", paramLabel = "N",
            description = "Replaces the recipe's seed (initial weights, batch order, dropout, augmentation); the "
                    + "split keeps the recipe's, so a sweep of seeds runs on the same folds. Written to the run's config.yaml.")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Changes one setting of the recipe, by its dotted key (repeatable), e.g. --set training.epochs=30 "
                    + "--set features.normalize=bins. Written to the run's config.yaml.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "Feature extraction threads. Default: the processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL,
            description = "What the HuBERT feature extraction of the cache and the model's training run on: "
                    + Devices.SPECS + ". auto uses the GPU when one can run here, else the CPU (with a notice); cuda "
                    + "stops with the reason when it cannot. The log-Mel front end runs on the CPU in this version. "
                    + "Default: the recipe's device:, else cpu.")
    String device;

    @Override
    public Integer call() {
        boolean resume = mode.resume != null;
        checkOptions(resume);
        Path runDir = resume ? mode.resume : out != null ? out : defaultOut(mode.config);
        TrainingProgress progress = new TrainingProgress(System.out);
        TrainJob.Result result;
        try {
            result = new TrainJob(mode.config, data, runDir, resume, cache, threads, seed, overrides, DeviceOptions.checked(device))
                    .run(System.err, progress, progress);
        } catch (RunDirectory.HoldsRun e) {
            throw SerException.inFile(e.dir(), "already holds a run; continue it with --resume " + e.dir()
                    + ", or choose another --out");
        } catch (RunDirectory.NotStarted e) {
            throw SerException.inFile(e.dir(), "holds no run to resume (stopped before its config.yaml was written); "
                    + "start it again with 'ser train --config FILE --data DIR --out " + e.dir() + "'");
        }
        System.out.println("run: " + runDir);
        if (result.summary() != null) System.out.println("summary: " + result.summary());
        return ExitCodes.done(result.unreadable());
    }

    /** What the options alone can tell, said in their names before the library sees them. */
    private void checkOptions(boolean resume) {
        Inputs.threads(threads);
        if (resume) {
            if (out != null) throw new SerException("--resume names the run directory; leave out --out");
            if (seed != null) throw new SerException("a resumed run keeps its own seed; leave out --seed");
            if (!overrides.isEmpty()) throw new SerException("a resumed run keeps its own recipe; leave out --set");
            return;
        }
        for (String o : overrides) {
            if (o.indexOf('=') <= 0) {
                throw new SerException("--set " + SerException.quote(o) + ": expected KEY=VALUE, e.g. training.epochs=30");
            }
        }
        if (data.isEmpty() && TrainConfig.load(mode.config, overrides).data().paths().isEmpty()) {
            throw new SerException("a new run needs --data (or a recipe whose data.corpora give paths)");
        }
    }

    static Path defaultOut(Path config) {
        String name = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return Path.of("runs", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
