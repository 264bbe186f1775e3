package ser.train;

import ser.SerException;
import ser.data.Corpus;
import ser.data.FeatureCache;
import ser.data.FeatureIndex;
import ser.data.Utterance;
import ser.features.LogMelFeatures;
import ser.io.Npy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Arrays;

/**
 * Model inputs for a corpus, through the feature cache: spectrograms are computed once per corpus and feature
 * config (in parallel, kept as {@code .npy}), then read into memory and normalised as the config says. Files
 * that cannot be decoded are left out and listed, so that one bad file does not stop a run.
 */
public final class FeatureStore {

    /** The inputs that could be made, by audio path, and the files that could not. */
    public record Loaded(Map<Path, float[]> inputs, List<FeatureCache.Failure> failures, int[] shape) {

        /** The examples of {@code part} that have inputs, with their class indices in {@code classes}. */
        public Examples examples(List<Utterance> part, List<String> classes) {
            List<Utterance> kept = new ArrayList<>();
            for (Utterance u : part) if (inputs.containsKey(u.path())) kept.add(u);
            float[][] x = new float[kept.size()][];
            int[] y = new int[kept.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = inputs.get(kept.get(i).path());
                y[i] = classes.indexOf(kept.get(i).label());
                if (y[i] < 0) throw new IllegalArgumentException(kept.get(i).label() + " is not in " + classes);
            }
            return new Examples(kept, x, y, shape);
        }
    }

    private final LogMelFeatures features;
    private final Path cacheRoot;
    private final int threads;

    /** @param cacheRoot the directory that holds one feature directory per corpus and feature config */
    public FeatureStore(LogMelFeatures features, Path cacheRoot, int threads) {
        this.features = features;
        this.cacheRoot = cacheRoot;
        this.threads = threads;
    }

    /** The feature directory of {@code corpus}: its folder name and the feature config's hash, so configs never mix. */
    public Path cacheDir(Corpus corpus) {
        String name = corpus.root().toAbsolutePath().normalize().getFileName() + "";
        return cacheRoot.resolve(name + "-" + Integer.toHexString(features.config().cacheKey().hashCode()));
    }

    public Loaded load(Corpus corpus, List<Utterance> utterances, Progress.Factory progress) {
        FeatureCache cache = new FeatureCache(cacheDir(corpus), features.config().cacheKey(), features::spectrogram, threads);
        Progress bar = progress.start("features", utterances.size());
        FeatureCache.Result result;
        try {
            result = cache.build(corpus, utterances, bar::step);
        } finally {
            bar.finish();
        }
        int[] shape = features.inputShape();
        Map<Path, float[]> inputs = new HashMap<>();
        for (FeatureIndex.Entry e : result.entries()) {
            float[] x = Npy.read(e.npy()).contiguous().toArray();
            if (x.length != shape[0] * shape[1] * shape[2]) {
                throw SerException.inFile(e.npy(), "holds " + Arrays.toString(e.shape()) + ", expected ["
                        + shape[1] + ", " + shape[2] + "]; delete the feature directory and run again");
            }
            inputs.put(e.utterance().path(), features.toInput(x));
        }
        return new Loaded(inputs, result.failures(), shape);
    }
}
