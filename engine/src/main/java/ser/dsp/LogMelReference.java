package ser.dsp;

import ser.tensor.Tensor;

/**
 * {@link LogMel}'s plain reference: one frame at a time, scalar FFT ({@link Fft#realForward}), scalar mel and dB.
 * Slow and obvious; the fast path is tested against it and benchmarked beside it.
 */
public final class LogMelReference {

    private final MelConfig config;
    private final Stft stft;
    private final MelFilterbank filterbank;

    public LogMelReference(MelConfig config) {
        this.config = config;
        this.stft = new Stft(config);
        this.filterbank = new MelFilterbank(config);
    }

    public Tensor compute(float[] samples) {
        int frames = stft.frames(samples.length), bins = stft.bins(), mels = config.nMels();
        Fft fft = stft.fft();
        float[] re = new float[bins], im = new float[bins], power = new float[bins], mel = new float[mels];
        Tensor out = Tensor.zeros(mels, frames);
        for (int t = 0; t < frames; t++) {
            fft.realForward(stft.frame(samples, t), re, im);
            for (int k = 0; k < bins; k++) power[k] = power(re[k], im[k]);
            filterbank.apply(power, mel);
            for (int f = 0; f < mels; f++) out.set(Decibels.fromPower(mel[f]), f, t);
        }
        if (config.topDb() != null) {
            float top = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < out.size(); i++) top = Math.max(top, out.getFlat(i));
            for (int i = 0; i < out.size(); i++) out.setFlat(i, Math.max(out.getFlat(i), top - config.topDb().floatValue()));
        }
        return out;
    }

    /** |X|^power, as torch's spec.abs().pow(power). */
    private float power(float re, float im) {
        double magnitude = Math.hypot(re, im);
        return (float) (config.power() == 2 ? magnitude * magnitude : Math.pow(magnitude, config.power()));
    }
}
