package ser.job;

import ser.Progress;
import ser.SerException;
import ser.data.Corpus;
import ser.data.CorpusSet;
import ser.data.Utterance;
import ser.eval.ClassificationMetrics;
import ser.eval.Evaluation;
import ser.infer.Evaluator;
import ser.io.DirectoryLock;
import ser.features.Examples;
import ser.features.FeatureStore;
import ser.run.DataRecord;
import ser.run.TrainedModel;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ser evaluate} as a library call: a run's best model scored on its own test part, or on all of a corpus,
 * possibly another one than it was trained on. Utterances whose label the model does not know are dropped and
 * counted; the report says which.
 *
 * @param data  the corpora, one or more; empty (or null) for the run's own (from data.json)
 * @param split {@code test} (the files data.json lists as the run's test part) or {@code all}; null picks test for
 *              the run's own corpus and all for another
 * @param out   where metrics.json and the PNGs go; null for {@code RUN/eval-<split>} (or
 *              {@code RUN/eval-<corpus>-<split>} for another corpus, named by {@link Corpus#id}: a directory's
 *              name, or the folder that holds a manifest, since manifests tend to share a file name)
 * @param device what the model's HuBERT inputs run on ({@link ser.tensor.Devices.Spec}); null for the run's
 *              recipe's {@code device}, else the CPU
 */
public record EvaluateJob(Path run, List<Path> data, String split, Path out, Path cache, int threads, String device) {

    public EvaluateJob {
        data = data == null ? List.of() : List.copyOf(data);
    }

    /** One corpus, or the run's own with {@code data} null. */
    public EvaluateJob(Path run, Path data, String split, Path out, Path cache, int threads) {
        this(run, data == null ? List.of() : List.of(data), split, out, cache, threads, null);
    }

    /** @param unreadable input files that could not be read (left out, listed) */
    public record Result(Evaluation.Scores scores, Path out, Map<String, Integer> dropped, int unreadable) {
        public ClassificationMetrics metrics() {
            return scores.overall();
        }
    }

    public Result run(PrintStream log, Progress.Factory progress) {
        if (Files.isDirectory(run.resolve("fold-1")) && !Files.isRegularFile(run.resolve("checkpoints/best.safetensors"))) {
            throw SerException.inFile(run, "is a k-fold run; evaluate one fold, e.g. " + run.resolve("fold-1"));
        }
        TrainedModel model = TrainedModel.load(run, device, log::println);
        List<Path> own = Files.isRegularFile(model.run().data()) ? DataRecord.read(model.run().data()).data() : null;
        List<Path> corpusPaths = !data.isEmpty() ? data : own;
        if (corpusPaths == null) {
            throw SerException.inFile(run, "has no data.json (an imported model?): name the corpus to score it on");
        }
        Path corpusPath = corpusPaths.getFirst();
        boolean sameCorpus = own != null && normalized(corpusPaths).equals(normalized(own));
        String part = split != null ? split : sameCorpus ? "test" : "all";
        if (!part.equals("test") && !part.equals("all")) {
            throw new SerException("split must be test or all, got " + SerException.quote(part));
        }

        CorpusSet corpus = CorpusSet.open(corpusPaths);
        List<Utterance> chosen = corpus.utterances();
        if (part.equals("test")) {
            List<String> test = sameCorpus ? DataRecord.part(model.run().data(), "test") : null;
            if (test == null) {
                throw new SerException("split test needs the corpus the run was trained on (" + own + "); use split all");
            }
            Set<String> wanted = new HashSet<>(test);
            List<Path> roots = normalized(corpusPaths);
            chosen = chosen.stream().filter(u -> wanted.contains(DataRecord.name(roots, u))).toList();
        }
        Map<String, Integer> dropped = new TreeMap<>();
        List<Utterance> kept = new ArrayList<>();
        for (Utterance u : chosen) {
            if (model.labels().contains(u.label())) kept.add(u);
            else dropped.merge(u.label(), 1, Integer::sum);
        }
        if (!dropped.isEmpty()) log.println("dropped labels the model does not know: " + dropped);
        if (kept.isEmpty()) {
            throw SerException.inFile(corpusPath, "has no " + part + " utterances with the model's labels " + model.labels());
        }
        Set<String> present = new HashSet<>();
        kept.forEach(u -> present.add(u.label()));
        List<String> absent = model.labels().stream().filter(l -> !present.contains(l)).toList();
        if (!absent.isEmpty()) log.println("labels of the model absent from the data (no recall for them): " + absent);

        Path cacheRoot = cache != null ? cache : run.toAbsolutePath().getParent().resolve(".features");
        FeatureStore.Loaded loaded = new FeatureStore(model.features(), cacheRoot, threads).load(corpus, kept, progress);
        loaded.failures().forEach(f -> log.println("skipped " + f.file() + ": " + f.reason()));
        Examples examples = loaded.examples(kept, model.labels());
        if (examples.size() == 0) throw SerException.inFile(corpusPath, "none of its files could be read");

        String ids = corpus.corpora().stream().map(Corpus::id).collect(Collectors.joining("+"));
        Path dir = out != null ? out : run.resolve(sameCorpus ? "eval-" + part : "eval-" + ids + "-" + part);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("split", part);
        context.put("data", corpusPaths.size() == 1 ? corpusPath.toAbsolutePath().toString()
                : normalized(corpusPaths).stream().map(Path::toString).toList());
        context.put("corpus", corpus.name());
        context.put("dropped_labels", dropped);
        context.put("absent_labels", absent);
        context.put("failed_files", loaded.failures().size());
        context.put("device", model.backend().name());
        // The folder, not the run, is locked: a run may be evaluated while it trains on, but not twice into one folder.
        try (DirectoryLock lock = DirectoryLock.take(dir)) {
            return new Result(Evaluator.evaluate(model, examples, dir, context), dir, dropped, loaded.failures().size());
        }
    }

    private static List<Path> normalized(List<Path> paths) {
        return paths.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
