package ser.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import ser.eval.ClassificationMetrics;
import ser.eval.CorpusBreakdown;
import ser.job.EvaluateJob;
import ser.run.RunDirectory;
import ser.SerException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ser evaluate}: a run's best model scored on labelled audio. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Scores a run's best model on its test part, or on all of a corpus (also another corpus than it was "
                        + "trained on: files whose label the model does not know are dropped and listed).",
                "Writes metrics.json (accuracy, uar, macro_f1, per_class, confusion, labels), confusion.png, "
                        + "curves.png (the run's training curves) and predictions.csv."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  ser evaluate --run runs/seed",
                "  ser evaluate --run runs/ravdess --data ~/data/emodb --split all",
                ExitCodes.FOOTER})
public final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "The run directory.")
    Path run;

    @Option(names = "--data", paramLabel = "DIR|CSV",
            description = "A corpus; repeat it for several (metrics.json then scores each corpus too). Default: the "
                    + "corpora the run trained on.")
    List<Path> data = new ArrayList<>();

    @Option(names = "--split", paramLabel = "test|all",
            description = "test: the run's own test files; all: every file. Default: test on the run's corpus, all on another.")
    String split;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: RUN/eval-<split> (RUN/eval-<corpus>-<split>).")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", description = "Feature cache. Default: .features/ beside the run.")
    Path cache;

    @Option(names = "--threads", paramLabel = "N", description = "Feature extraction threads. Default: the processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = DeviceOptions.NAME, paramLabel = DeviceOptions.LABEL, description = DeviceOptions.RUN_HELP)
    String device;

    @Override
    public Integer call() {
        Inputs.threads(threads);
        if (split != null && !split.equals("test") && !split.equals("all")) {
            throw new SerException("--split must be test or all, got " + SerException.quote(split));
        }
        RunDirectory dir = new RunDirectory(run);
        if (data.isEmpty() && dir.exists() && Files.isRegularFile(dir.best()) && !Files.isRegularFile(dir.data())) {
            throw SerException.inFile(run, "has no data.json (an imported model?): give --data DIR");
        }
        TrainingProgress progress = new TrainingProgress(System.err);
        EvaluateJob.Result r = new EvaluateJob(run, data, split, out, cache, threads, DeviceOptions.checked(device)).run(System.err, progress);
        ClassificationMetrics m = r.metrics();
        System.out.printf(Locale.ROOT, "%d files: accuracy %.4f  UAR %.4f  macro-F1 %.4f%s%n",
                m.confusion().total(), m.accuracy(), m.uar(), m.macroF1(), r.scores().calibration() == null ? ""
                        : String.format(Locale.ROOT, "  ECE %.4f", r.scores().calibration().ece()));
        CorpusBreakdown.lines(r.scores().perCorpus()).forEach(System.out::println);
        for (var c : m.perClass()) {
            System.out.printf(Locale.ROOT, "  %-4s precision %.3f  recall %.3f  f1 %.3f  support %d%n",
                    c.label(), c.precision(), c.recall(), c.f1(), c.support());
        }
        System.out.println("written: " + r.out().resolve("metrics.json") + ", confusion.png, reliability.png, curves.png, predictions.csv"
                + (r.scores().perCorpus().isEmpty() ? "" : ", confusion-<corpus>.png"));
        return ExitCodes.done(r.unreadable());
    }
}
