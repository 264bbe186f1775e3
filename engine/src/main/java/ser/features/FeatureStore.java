package ser.features;

import ser.Progress;
import ser.SerException;
import ser.data.Corpus;
import ser.data.CorpusSet;
import ser.data.FeatureCache;
import ser.data.FeatureIndex;
import ser.data.Utterance;
import ser.io.Npy;
import ser.model.InputBatch;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model inputs for a corpus, through the feature cache: each input's features are computed once per corpus and
 * feature config (kept as {@code .npy}), then made into model inputs as the config says (normalised, layers
 * selected). Files that cannot be decoded are left out and listed, so that one bad file does not stop a run; an
 * utterance needs every input of the model to be kept.
 *
 * <p>Inputs are read into memory when they all fit in the memory budget (half the heap by default). Otherwise
 * the inputs whose frames vary per utterance (unpooled HuBERT states: 2 MB per second of audio) stay in the cache
 * and each batch reads its own files, which the operating system's page cache then mostly serves from memory.
 */
public final class FeatureStore {

    /** Each input's values by audio path, the utterances that have them all, and the files that failed. */
    public static final class Loaded {

        private final Map<String, Map<Path, float[]>> inMemory;
        private final Map<String, Map<Path, Path>> inCache;
        private final Map<String, Features> features;
        private final Set<Path> complete;
        private final List<FeatureCache.Failure> failures;
        private final Map<String, int[]> shapes;

        private Loaded(Map<String, Map<Path, float[]>> inMemory, Map<String, Map<Path, Path>> inCache,
                       Map<String, Features> features, Set<Path> complete, List<FeatureCache.Failure> failures,
                       Map<String, int[]> shapes) {
            this.inMemory = inMemory;
            this.inCache = inCache;
            this.features = features;
            this.complete = complete;
            this.failures = failures;
            this.shapes = shapes;
        }

        public List<FeatureCache.Failure> failures() {
            return failures;
        }

        /** The inputs read batch by batch from the cache, because they do not fit in memory. */
        public Set<String> streamed() {
            return inCache.keySet();
        }

        /** The examples of {@code part} that have inputs, with their class indices in {@code classes}. */
        public Examples examples(List<Utterance> part, List<String> classes) {
            return examples(part, classes, false);
        }

        /**
         * The same; with {@code raw}, log-Mel inputs stay in raw decibels and the examples say how to normalise them
         * ({@link Examples#deferred}), for training-time augmentation that adds power.
         */
        public Examples examples(List<Utterance> part, List<String> classes, boolean raw) {
            List<Utterance> kept = part.stream().filter(u -> complete.contains(u.path())).toList();
            Map<String, List<float[]>> x = new LinkedHashMap<>();
            Map<String, SpectrogramInput> deferred = new LinkedHashMap<>();
            for (String name : shapes.keySet()) {
                if (inMemory.containsKey(name)) {
                    Map<Path, float[]> values = inMemory.get(name);
                    SpectrogramInput spectrogram = features.get(name).spectrogramInput();
                    if (spectrogram == null) {
                        x.put(name, kept.stream().map(u -> values.get(u.path())).toList());
                    } else if (raw) {
                        x.put(name, kept.stream().map(u -> values.get(u.path())).toList());
                        deferred.put(name, spectrogram);
                    } else {
                        x.put(name, kept.stream().map(u -> {
                            float[] v = values.get(u.path()).clone();
                            spectrogram.normalize(v);
                            return v;
                        }).toList());
                    }
                } else {
                    Map<Path, Path> npy = inCache.get(name);
                    x.put(name, new CachedInputs(kept.stream().map(u -> npy.get(u.path())).toList(), features.get(name), shapes.get(name)));
                }
            }
            int[] y = new int[kept.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = classes.indexOf(kept.get(i).label());
                if (y[i] < 0) throw new IllegalArgumentException(kept.get(i).label() + " is not in " + classes);
            }
            return new Examples(kept, x, shapes, y, deferred);
        }
    }

    private final Map<String, Features> features;
    private final Path cacheRoot;
    private final int threads;
    private final long memoryBudget;

    /**
     * @param features  each model input's features, by name
     * @param cacheRoot the directory that holds one feature directory per corpus and feature config
     */
    public FeatureStore(Map<String, Features> features, Path cacheRoot, int threads) {
        this(features, cacheRoot, threads, Runtime.getRuntime().maxMemory() / 2);
    }

    /** @param memoryBudget bytes of inputs to hold in memory before streaming the variable-length ones */
    public FeatureStore(Map<String, Features> features, Path cacheRoot, int threads, long memoryBudget) {
        this.features = new LinkedHashMap<>(features);
        this.cacheRoot = cacheRoot;
        this.threads = threads;
        this.memoryBudget = memoryBudget;
    }

    /**
     * The feature directory of {@code corpus} under {@code cacheRoot}: the corpus folder's name and a hash of the
     * feature config, so configs never mix ({@code ser features --cache} fills the same directories).
     */
    public static Path cacheDir(Path cacheRoot, Corpus corpus, String cacheKey) {
        String name = corpus.root().toAbsolutePath().normalize().getFileName() + "";
        return cacheRoot.resolve(name + "-" + Integer.toHexString(cacheKey.hashCode()));
    }

    public Loaded load(Corpus corpus, List<Utterance> utterances, Progress.Factory progress) {
        return load(CorpusSet.of(corpus), utterances, progress);
    }

    /** The inputs of {@code utterances}, drawn from any corpus of {@code corpora}; each corpus has its own cache. */
    public Loaded load(CorpusSet corpora, List<Utterance> utterances, Progress.Factory progress) {
        Map<String, List<FeatureIndex.Entry>> entries = new LinkedHashMap<>();
        Map<Path, String> failed = new LinkedHashMap<>();
        for (var e : features.entrySet()) {
            Features f = e.getValue();
            Progress bar = progress.start(features.size() == 1 ? "features" : "features " + e.getKey(), utterances.size());
            List<FeatureIndex.Entry> all = new ArrayList<>();
            try {
                for (Corpus corpus : corpora.corpora()) {
                    List<Utterance> mine = corpora.single() ? utterances
                            : utterances.stream().filter(u -> corpus.id().equals(u.corpus())).toList();
                    if (mine.isEmpty()) continue;
                    FeatureCache cache = new FeatureCache(cacheDir(cacheRoot, corpus, f.cacheKey()), f.cacheKey(), f::compute,
                            f.parallelFiles(threads)).sharedBetweenRuns();
                    FeatureCache.Result result = cache.build(corpus, mine, bar::step);
                    all.addAll(result.entries());
                    result.failures().forEach(x -> failed.putIfAbsent(x.file(), x.reason()));
                }
            } finally {
                bar.finish();
            }
            entries.put(e.getKey(), all);
        }

        Set<String> streamed = streamed(entries);
        Map<String, Map<Path, float[]>> inMemory = new LinkedHashMap<>();
        Map<String, Map<Path, Path>> inCache = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Set<Path> complete = null;
        for (var e : entries.entrySet()) {
            Features f = features.get(e.getKey());
            int[] shape = f.inputShape();
            shapes.put(e.getKey(), shape);
            Set<Path> here = new HashSet<>();
            Map<Path, float[]> values = new HashMap<>();
            Map<Path, Path> npy = new HashMap<>();
            for (FeatureIndex.Entry entry : e.getValue()) {
                if (streamed.contains(e.getKey())) npy.put(entry.utterance().path(), entry.npy());
                else values.put(entry.utterance().path(), read(f, shape, entry.npy(), true));
                here.add(entry.utterance().path());
            }
            if (streamed.contains(e.getKey())) inCache.put(e.getKey(), npy);
            else inMemory.put(e.getKey(), values);
            if (complete == null) complete = here;
            else complete.retainAll(here);
        }
        List<FeatureCache.Failure> failures = new ArrayList<>();
        failed.forEach((file, reason) -> failures.add(new FeatureCache.Failure(file, reason)));
        return new Loaded(inMemory, inCache, features, complete, failures, shapes);
    }

    /**
     * The inputs to leave in the cache: none when all fit the budget, else every input of varying frames. The
     * fixed-size rest must then fit, or the run is refused before anything is read.
     */
    private Set<String> streamed(Map<String, List<FeatureIndex.Entry>> entries) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        entries.forEach((name, list) -> bytes.put(name, 4 * list.stream().mapToLong(e -> Tensor.count(e.shape())).sum()));
        if (bytes.values().stream().mapToLong(Long::longValue).sum() <= memoryBudget) return Set.of();
        Set<String> streamed = new HashSet<>();
        long held = 0;
        for (var e : bytes.entrySet()) {
            if (InputBatch.framesAxis(features.get(e.getKey()).inputShape()) >= 0) streamed.add(e.getKey());
            else held += e.getValue();
        }
        if (held > memoryBudget) {
            throw new SerException(String.format("the cached features take %d MB, more than the %d MB this JVM can "
                    + "hold (half its heap): give the JVM more heap (-Xmx)", held >> 20, memoryBudget >> 20));
        }
        return streamed;
    }

    private static float[] read(Features f, int[] shape, Path npy) {
        return read(f, shape, npy, false);
    }

    /** With {@code raw}, before normalisation ({@link Features#toRawInput}). */
    private static float[] read(Features f, int[] shape, Path npy, boolean raw) {
        Tensor cached = Npy.read(npy);
        try {
            float[] x = raw ? f.toRawInput(cached) : f.toInput(cached);
            if (InputBatch.framesAxis(shape) >= 0) {
                InputBatch.frames(shape, x);
            } else if (x.length != Tensor.count(shape)) {
                throw new IllegalArgumentException("holds " + Arrays.toString(cached.shape()) + ", which makes no "
                        + Arrays.toString(shape) + " input");
            }
            return x;
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(npy, e.getMessage() + "; delete the feature directory and run again");
        }
    }

    /** One input of many utterances, each read from its cached file when asked for. */
    private static final class CachedInputs extends AbstractList<float[]> {
        private final List<Path> npy;
        private final Features features;
        private final int[] shape;

        CachedInputs(List<Path> npy, Features features, int[] shape) {
            this.npy = npy;
            this.features = features;
            this.shape = shape;
        }

        @Override
        public float[] get(int i) {
            return read(features, shape, npy.get(i));
        }

        @Override
        public int size() {
            return npy.size();
        }
    }
}
