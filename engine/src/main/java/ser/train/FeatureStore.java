package ser.train;

import ser.SerException;
import ser.data.Corpus;
import ser.data.FeatureCache;
import ser.data.FeatureIndex;
import ser.data.Utterance;
import ser.features.Features;
import ser.io.Npy;
import ser.model.InputBatch;
import ser.tensor.Tensor;

import java.nio.file.Path;
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
 * feature config (kept as {@code .npy}), then read into memory and made into model inputs as the config says
 * (normalised, layers selected). Files that cannot be decoded are left out and listed, so that one bad file does
 * not stop a run; an utterance needs every input of the model to be kept.
 */
public final class FeatureStore {

    /** The inputs that could be made, by audio path and input name, and the files that could not. */
    public record Loaded(Map<Path, Map<String, float[]>> inputs, List<FeatureCache.Failure> failures,
                         Map<String, int[]> shapes) {

        /** The examples of {@code part} that have inputs, with their class indices in {@code classes}. */
        public Examples examples(List<Utterance> part, List<String> classes) {
            List<Utterance> kept = new ArrayList<>();
            for (Utterance u : part) if (inputs.containsKey(u.path())) kept.add(u);
            Map<String, float[][]> x = new LinkedHashMap<>();
            for (String name : shapes.keySet()) {
                float[][] column = new float[kept.size()][];
                for (int i = 0; i < column.length; i++) column[i] = inputs.get(kept.get(i).path()).get(name);
                x.put(name, column);
            }
            int[] y = new int[kept.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = classes.indexOf(kept.get(i).label());
                if (y[i] < 0) throw new IllegalArgumentException(kept.get(i).label() + " is not in " + classes);
            }
            return new Examples(kept, x, shapes, y);
        }
    }

    private final Map<String, Features> features;
    private final Path cacheRoot;
    private final int threads;

    /**
     * @param features  each model input's features, by name
     * @param cacheRoot the directory that holds one feature directory per corpus and feature config
     */
    public FeatureStore(Map<String, Features> features, Path cacheRoot, int threads) {
        this.features = new LinkedHashMap<>(features);
        this.cacheRoot = cacheRoot;
        this.threads = threads;
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
        Map<String, List<FeatureIndex.Entry>> entries = new LinkedHashMap<>();
        Map<Path, String> failed = new LinkedHashMap<>();
        for (var e : features.entrySet()) {
            Features f = e.getValue();
            FeatureCache cache = new FeatureCache(cacheDir(cacheRoot, corpus, f.cacheKey()), f.cacheKey(), f::compute, f.parallelFiles(threads));
            Progress bar = progress.start(features.size() == 1 ? "features" : "features " + e.getKey(), utterances.size());
            FeatureCache.Result result;
            try {
                result = cache.build(corpus, utterances, bar::step);
            } finally {
                bar.finish();
            }
            entries.put(e.getKey(), result.entries());
            result.failures().forEach(x -> failed.putIfAbsent(x.file(), x.reason()));
        }
        requireHeap(entries);

        Map<Path, Map<String, float[]>> inputs = new HashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        Set<Path> complete = null;
        for (var e : entries.entrySet()) {
            Features f = features.get(e.getKey());
            int[] shape = f.inputShape();
            shapes.put(e.getKey(), shape);
            Set<Path> here = new HashSet<>();
            for (FeatureIndex.Entry entry : e.getValue()) {
                inputs.computeIfAbsent(entry.utterance().path(), p -> new LinkedHashMap<>()).put(e.getKey(), read(f, shape, entry));
                here.add(entry.utterance().path());
            }
            if (complete == null) complete = here;
            else complete.retainAll(here);
        }
        Set<Path> kept = complete;
        inputs.keySet().removeIf(p -> !kept.contains(p));
        List<FeatureCache.Failure> failures = new ArrayList<>();
        failed.forEach((file, reason) -> failures.add(new FeatureCache.Failure(file, reason)));
        return new Loaded(inputs, failures, shapes);
    }

    private static float[] read(Features f, int[] shape, FeatureIndex.Entry entry) {
        Tensor cached = Npy.read(entry.npy());
        float[] x;
        try {
            x = f.toInput(cached);
            if (InputBatch.framesAxis(shape) >= 0) {
                InputBatch.frames(shape, x);
            } else if (x.length != Tensor.count(shape)) {
                throw new IllegalArgumentException("holds " + Arrays.toString(cached.shape()) + ", which makes no "
                        + Arrays.toString(shape) + " input");
            }
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(entry.npy(), e.getMessage() + "; delete the feature directory and run again");
        }
        return x;
    }

    /**
     * Refuses, before reading, features that cannot fit in the heap: unpooled HuBERT states of a whole corpus are
     * gigabytes (13 layers × 768 values × 50 frames a second: 2 MB per second of audio).
     */
    private static void requireHeap(Map<String, List<FeatureIndex.Entry>> entries) {
        long floats = 0;
        for (List<FeatureIndex.Entry> list : entries.values()) for (FeatureIndex.Entry e : list) floats += Tensor.count(e.shape());
        long bytes = 4 * floats, heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 10 * 7) {
            throw new SerException(String.format("the cached features take %d MB, more than this JVM's heap allows "
                    + "(%d MB): raise -Xmx through SER_JAVA_OPTS, or use pooled features (pool: mean)", bytes >> 20, heap >> 20));
        }
    }
}
