package ser.features;

import ser.audio.AudioLoader;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.dsp.MelScale;
import ser.tensor.Tensor;

/**
 * Audio to log-Mel model input: decode, mono, resample to the mel config's rate, optionally cut the silence around
 * the take, pad or trim to the clip length, log-Mel, and (at input time, after the cache) normalise. Spectrograms are {@code [n_mels, frames]}; model inputs
 * add a channel axis, {@code [1, n_mels, frames]}.
 */
public final class LogMelFeatures implements Features {

    private final FeatureConfig config;
    private final LogMel logMel;

    public LogMelFeatures(FeatureConfig config) {
        this.config = config;
        this.logMel = new LogMel(config.mel());
    }

    public FeatureConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return "mel";
    }

    @Override
    public String cacheKey() {
        return config.cacheKey();
    }

    /** One model input without the batch axis: {@code [1, n_mels, frames of one clip]}. */
    @Override
    public int[] inputShape() {
        return new int[] {1, config.mel().nMels(), logMel.frames(config.clipSamples())};
    }

    /** The spectrogram of samples at the mel config's rate, padded or trimmed to one clip. */
    public Tensor spectrogram(float[] samples) {
        return compute(samples);
    }

    /** Thread-safe. */
    @Override
    public Tensor compute(float[] samples) {
        float[] x = config.trim().equals("silence") ? SilenceTrim.apply(samples, sampleRate()) : samples;
        return logMel.compute(config.pad().equals("repeat") ? AudioLoader.repeatOrTrim(x, config.clipSamples())
                : AudioLoader.padOrTrim(x, config.clipSamples()));
    }

    /** The clip's samples, padded or cut; all of them when the silence around the take is cut first. */
    @Override
    public long samplesRead() {
        return config.trim().equals("silence") ? -1 : config.clipSamples();
    }

    @Override
    public int sampleRate() {
        return config.mel().sampleRate();
    }

    /** A spectrogram's values as a model input, normalised in place per the config; returns {@code values}. */
    public float[] toInput(float[] values) {
        switch (config.normalize()) {
            case "utterance" -> Normalization.perUtterance(values);
            case "bins" -> Normalization.perBand(values, config.mel().nMels());
            default -> { }
        }
        return values;
    }

    @Override
    public float[] toInput(Tensor cached) {
        return toInput(cached.contiguous().toArray());
    }

    @Override
    public float[] toRawInput(Tensor cached) {
        return cached.contiguous().toArray();
    }

    @Override
    public SpectrogramInput spectrogramInput() {
        MelConfig m = config.mel();
        MelScale scale = MelScale.of(m.melScale());
        double lo = scale.hzToMel(m.fMin()), hi = scale.hzToMel(m.fMax());
        double[] hz = new double[m.nMels()];
        for (int b = 0; b < hz.length; b++) hz[b] = scale.melToHz(lo + (hi - lo) * (b + 1) / (hz.length + 1));
        return new SpectrogramInput(hz, (double) m.hopLength() / m.sampleRate(), this::toInput);
    }

    @Override
    public int parallelFiles(int requested) {
        return requested;
    }

    @Override
    public double clipSeconds() {
        return config.clipSeconds();
    }
}
