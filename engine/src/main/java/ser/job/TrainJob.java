package ser.job;

import ser.Progress;
import ser.SerException;
import ser.autograd.kernels.HostTrainingOps;
import ser.data.CorpusSet;
import ser.data.LabelSet;
import ser.data.Split;
import ser.data.Utterance;
import ser.eval.ClassificationMetrics;
import ser.eval.CorpusBreakdown;
import ser.eval.Evaluation;
import ser.features.Examples;
import ser.features.FeatureStore;
import ser.infer.Evaluator;
import ser.io.DirectoryLock;
import ser.io.Json;
import ser.run.DataRecord;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.run.TrainedModel;
import ser.tensor.Backends;
import ser.train.Trainer;
import ser.train.TrainerState;
import ser.train.TrainingListener;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code ser train} as a library call: corpus → label set → split → features → one training run per split (one
 * per fold for k-fold, in {@code fold-N/} below the output directory, with a {@code summary.json}) → evaluation of
 * the best weights on the test part ({@code test/}) and the training curves.
 *
 * @param config  the recipe; null with {@code resume} (the run's own config.yaml is used)
 * @param data    the corpus directories or CSV manifests, one or more; empty with {@code resume} (the run's
 *                data.json names them) or when the recipe's {@code data.corpora} give paths
 * @param out     the run directory
 * @param cache   where feature directories go; null for {@code .features/} beside the run directory
 * @param seed    replaces the recipe's run seed ({@link TrainConfig#withSeed}); null to keep it
 * @param overrides {@code key.path=value} changes to the recipe; the run's config.yaml has them
 * @param device  what HuBERT feature extraction and the model's training run on ({@link ser.tensor.Devices.Spec}); null for the recipe's
 *                {@code device}, else the CPU. The model trains there too.
 */
public record TrainJob(Path config, List<Path> data, Path out, boolean resume, Path cache, int threads, Long seed,
                       List<String> overrides, String device) {

    public TrainJob {
        data = data == null ? List.of() : List.copyOf(data);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    public TrainJob(Path config, Path data, Path out, boolean resume, Path cache, int threads) {
        this(config, data == null ? List.of() : List.of(data), out, resume, cache, threads, null, List.of(), null);
    }

    /** What a finished job produced, and how many input files could not be read (left out, listed). */
    public record Result(List<Path> runs, List<ClassificationMetrics> tests, Path summary, int unreadable) {}

    public Result run(PrintStream log, Progress.Factory progress, TrainingListener listener) {
        RunDirectory top = new RunDirectory(out);
        TrainConfig recipe;
        List<Path> dataPaths;
        // Early, before the corpus is read: a run in use says so (not "resume it"), and nothing else is checked.
        if (Files.isDirectory(out)) DirectoryLock.take(out).close();
        if (resume) {
            top.requireResumable();
            if (seed != null) throw new SerException("a resumed run keeps its own seed; give none");
            if (!overrides.isEmpty()) throw new SerException("a resumed run keeps its own recipe; give no overrides");
            recipe = TrainConfig.load(top.config());
            dataPaths = !data.isEmpty() ? data : DataRecord.read(top.data()).data();
        } else {
            if (config == null) throw new SerException("a new run needs a recipe");
            recipe = TrainConfig.load(config, overrides);
            dataPaths = !data.isEmpty() ? data : recipe.data().paths();
            if (dataPaths.isEmpty()) throw new SerException("a new run needs a corpus (or a recipe whose data.corpora give paths)");
            top.requireFresh();
            if (seed != null) recipe = recipe.withSeed(seed);
        }
        String where = dataPaths.stream().map(Path::toString).collect(Collectors.joining(" + "));
        Backends.Backend backend = recipe.openDevice(device, log::println); // before the corpus is read: fails fast

        CorpusSet corpora = CorpusSet.open(dataPaths);
        List<Utterance> all = corpora.utterances().stream().map(recipe.data()::relabel).toList();
        LabelSet labels = LabelSet.named(recipe.labels(), all);
        List<Utterance> kept = labels.keep(all);
        if (kept.isEmpty()) {
            throw SerException.inFile(dataPaths.getFirst(), "has no utterances with the labels " + labels.classes());
        }
        if (resume && !top.readLabels().equals(labels.classes())) {
            throw new SerException(where + " now gives the labels " + labels.classes() + ", the run was started with "
                    + top.readLabels() + "; resume with the corpus it was started on");
        }
        List<Split> splits = recipe.split().apply(kept);
        log.printf("%s: %d utterances of %s (%d with other labels left out), label set %s%n", where, kept.size(),
                corpora.name(), all.size() - kept.size(), labels);
        if (!corpora.single()) {
            Map<String, Long> perCorpus = new TreeMap<>();
            kept.forEach(u -> perCorpus.merge(u.corpus(), 1L, Long::sum));
            log.println("per corpus: " + perCorpus);
        }

        // One job per run directory; the lock goes with the process, however it ends.
        try (DirectoryLock lock = DirectoryLock.take(out)) {
            if (!resume) top.requireFresh(); // again, now that no other job can start it meanwhile
            return run(recipe, backend, dataPaths, corpora, labels, kept, splits, log, progress, listener);
        }
    }

    private Result run(TrainConfig recipe, Backends.Backend backend, List<Path> dataPaths, CorpusSet corpora, LabelSet labels, List<Utterance> kept,
                       List<Split> splits, PrintStream log, Progress.Factory progress, TrainingListener listener) {
        RunDirectory top = new RunDirectory(out);
        Path cacheRoot = cache != null ? cache : out.toAbsolutePath().getParent().resolve(".features");
        FeatureStore.Loaded loaded = new FeatureStore(recipe.openFeatures(backend), cacheRoot, threads).load(corpora, kept, progress);
        loaded.failures().forEach(f -> log.println("skipped " + f.file() + ": " + f.reason()));
        if (!loaded.streamed().isEmpty()) {
            log.println("features " + loaded.streamed() + " do not fit in half the heap: each batch reads its own from the cache");
        }

        if (!resume) {
            // config.yaml last: it marks a run that can be resumed, so it must not exist without the others.
            top.writeLabels(labels.classes());
            new DataRecord(absolute(dataPaths), corpora.name(), splits.size() > 1 ? null : splits.getFirst()).write(top.data());
            recipe.writeTo(out);
        }
        List<Path> runs = new ArrayList<>();
        List<ClassificationMetrics> tests = new ArrayList<>();
        for (int f = 0; f < splits.size(); f++) {
            Split split = splits.get(f);
            RunDirectory run = splits.size() == 1 ? top : new RunDirectory(out.resolve("fold-" + (f + 1)));
            if (splits.size() > 1 && !run.exists()) {
                run.writeLabels(labels.classes());
                new DataRecord(absolute(dataPaths), corpora.name(), split).write(run.data());
                recipe.writeTo(run.root());
            }
            if (resume) DataRecord.requireSameSplit(run.data(), absolute(dataPaths), split);
            if (splits.size() > 1) log.println("fold " + (f + 1) + "/" + splits.size());
            ClassificationMetrics test = trainOne(recipe, backend, labels, split, loaded, run, log, listener);
            runs.add(run.root());
            if (test != null) tests.add(test);
        }
        Path summary = splits.size() > 1 && tests.size() == splits.size() ? writeSummary(out, tests, log) : null;
        return new Result(runs, tests, summary, loaded.failures().size());
    }

    private ClassificationMetrics trainOne(TrainConfig recipe, Backends.Backend backend, LabelSet labels, Split split, FeatureStore.Loaded loaded,
                                           RunDirectory run, PrintStream log, TrainingListener listener) {
        List<String> classes = labels.classes();
        Examples train = loaded.examples(split.train(), classes, recipe.augment().room()), val = loaded.examples(split.val(), classes),
                test = loaded.examples(split.test(), classes);
        // The parts as trained on: without the files that could not be read, so the log tells the true numbers.
        Split used = new Split(split.name(), train.utterances(), val.utterances(), test.utterances());
        run.log((resume && Files.isRegularFile(run.last()) ? "resuming: " : "starting: ") + used.summary());
        run.log("device: " + backend.name());
        logUnread(split, used, loaded, run);
        log.println(used.summary());
        Trainer trainer = new Trainer(recipe, labels.classes(), train, val, run, listener, HostTrainingOps.of(backend.ops()));
        StringBuilder inputs = new StringBuilder();
        train.shapes().forEach((name, s) -> inputs.append(", ").append(train.shapes().size() == 1 ? "input" : "input " + name)
                .append(' ').append(Arrays.toString(s).replace("-1", "frames")));
        run.log("model: " + trainer.model().parameterCount() + " parameters" + inputs);
        TrainerState end = trainer.run(resume);
        Evaluator.writeCurves(end.history(), run.curves());
        run.log("finished after " + end.epoch() + " epochs; best " + recipe.training().monitor() + " at epoch " + end.bestEpoch());
        if (test.size() == 0) return null;
        TrainedModel best = TrainedModel.load(run.root(), backend);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("split", "test");
        context.put("split_name", split.name());
        context.put("best_epoch", end.bestEpoch());
        context.put("device", backend.name());
        Evaluation.Scores scores = Evaluator.evaluate(best, test, run.root().resolve("test"), context);
        ClassificationMetrics m = scores.overall();
        String line = String.format(Locale.ROOT, "test (%d files, best epoch %d): accuracy %.4f  UAR %.4f  macro-F1 %.4f",
                test.size(), end.bestEpoch(), m.accuracy(), m.uar(), m.macroF1());
        run.log(line);
        log.println(line);
        for (String perCorpus : CorpusBreakdown.lines(scores.perCorpus())) {
            run.log(perCorpus);
            log.println(perCorpus);
        }
        return m;
    }

    /** Lists in train.log the files of {@code split} left out of {@code used} because they could not be read. */
    private static void logUnread(Split split, Split used, FeatureStore.Loaded loaded, RunDirectory run) {
        int train = split.train().size() - used.train().size(), val = split.val().size() - used.val().size(),
                test = split.test().size() - used.test().size();
        if (train + val + test == 0) return;
        run.log("left out " + (train + val + test) + " files that could not be read (train " + train + ", val " + val
                + ", test " + test + ")");
        Set<Path> mine = new HashSet<>();
        for (List<Utterance> part : List.of(split.train(), split.val(), split.test())) part.forEach(u -> mine.add(u.path()));
        loaded.failures().stream().filter(f -> mine.contains(f.file()))
                .forEach(f -> run.log("  skipped " + f.file() + ": " + f.reason()));
    }

    private static List<Path> absolute(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** summary.json: each fold's test scores and their mean and standard deviation (sample, n − 1). */
    private static Path writeSummary(Path out, List<ClassificationMetrics> tests, PrintStream log) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("folds", tests.size());
        for (String key : List.of("accuracy", "uar", "macro_f1")) {
            double[] v = tests.stream().mapToDouble(m -> switch (key) {
                case "accuracy" -> m.accuracy();
                case "uar" -> m.uar();
                default -> m.macroF1();
            }).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double var = 0;
            for (double x : v) var += (x - mean) * (x - mean);
            double std = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
            summary.put(key, Map.of("mean", mean, "std", std, "per_fold", v));
            log.printf(Locale.ROOT, "%-9s %.4f ± %.4f over %d folds%n", key, mean, std, v.length);
        }
        Path file = out.resolve("summary.json");
        Json.writeFile(file, summary);
        return file;
    }
}
