package ser.features;

import ser.audio.AudioLoader;
import ser.tensor.Tensor;

import java.nio.file.Path;

/**
 * One kind of model input made from audio, the same way for training, evaluation and prediction: what is computed
 * and kept in the feature cache, and how a cached array becomes a model input.
 */
public interface Features {

    /** {@code mel}, {@code hubert} or {@code prosody}. */
    String kind();

    /** The rate audio is resampled to before {@link #compute}. */
    int sampleRate();

    /** Everything that changes the cached arrays, as one line: the feature cache's key. */
    String cacheKey();

    /**
     * One model input without the batch axis, e.g. {@code [1, 128, 151]}; {@code -1} marks a frames axis whose
     * length varies per utterance.
     */
    int[] inputShape();

    /** The array the cache keeps for a clip of samples at {@link #sampleRate}. */
    Tensor compute(float[] samples);

    /**
     * How many samples from a file's start {@link #compute} depends on, at {@link #sampleRate}: it gives for the
     * file's first this many samples what it gives for all of them, so a caller may read only those. -1 when it
     * reads the whole file (a whole-file input, silence trimming, which looks for the end of the speech).
     */
    default long samplesRead() {
        return -1;
    }

    /** The cached array of a file (decoded, mono, resampled). */
    default Tensor compute(Path audio) {
        return compute(AudioLoader.loadMono(audio, sampleRate()));
    }

    /** A cached array as model input values, laid out as {@link #inputShape}. */
    float[] toInput(Tensor cached);

    /**
     * A cached array as model input values before any normalisation, for augmentation that must see the raw
     * values ({@link #spectrogramInput}); the same as {@link #toInput} where there is nothing to defer.
     */
    default float[] toRawInput(Tensor cached) {
        return toInput(cached);
    }

    /** For log-Mel inputs, what raw-decibel augmentation needs; null for other inputs. */
    default SpectrogramInput spectrogramInput() {
        return null;
    }

    /**
     * How many files the cache should compute at once, given {@code requested} threads: one per thread for work
     * that is single-threaded inside, one at a time for work that spreads itself over the processors.
     */
    int parallelFiles(int requested);

    /** The longest stretch of audio one input covers, in seconds; infinite when the whole file is used. */
    double clipSeconds();
}
