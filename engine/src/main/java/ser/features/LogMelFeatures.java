package ser.features;

import ser.audio.AudioLoader;
import ser.dsp.LogMel;
import ser.tensor.Tensor;

import java.nio.file.Path;

/**
 * Audio to model input, the same way for training, evaluation and prediction: decode, mono, resample to the mel
 * config's rate, pad or trim to the clip length, log-Mel, and (at input time, after the cache) normalise.
 * Spectrograms are {@code [n_mels, frames]}; model inputs add a channel axis, {@code [1, n_mels, frames]}.
 */
public final class LogMelFeatures {

    private final FeatureConfig config;
    private final LogMel logMel;

    public LogMelFeatures(FeatureConfig config) {
        this.config = config;
        this.logMel = new LogMel(config.mel());
    }

    public FeatureConfig config() {
        return config;
    }

    /** One model input without the batch axis: {@code [1, n_mels, frames of one clip]}. */
    public int[] inputShape() {
        return new int[] {1, config.mel().nMels(), logMel.frames(config.clipSamples())};
    }

    /** The spectrogram of a file's first clip_seconds (padded with silence when shorter). Thread-safe. */
    public Tensor spectrogram(Path wav) {
        return spectrogram(AudioLoader.loadMono(wav, config.mel().sampleRate()));
    }

    /** The spectrogram of samples at the mel config's rate, padded or trimmed to one clip. */
    public Tensor spectrogram(float[] samples) {
        return logMel.compute(AudioLoader.padOrTrim(samples, config.clipSamples()));
    }

    public int sampleRate() {
        return config.mel().sampleRate();
    }

    /** A spectrogram's values as a model input, normalised in place per the config; returns {@code values}. */
    public float[] toInput(float[] values) {
        if (config.normalize().equals("utterance")) Normalization.perUtterance(values);
        return values;
    }
}
