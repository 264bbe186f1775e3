package ser.train;

import ser.features.SpectrogramInput;
import ser.run.AugmentConfig;

import java.util.SplittableRandom;

/**
 * Other rooms, microphones and noise, made from nothing but the training batch and applied to raw log-Mel
 * decibels before normalisation (powers add, so this must happen in decibels). Each effect is drawn per example
 * with its probability from {@link AugmentConfig}:
 * <ul>
 *   <li><b>noise</b>: stationary coloured noise (a random spectral slope from blue to brown, with a little
 *       per-frame fluctuation) at a signal-to-noise ratio drawn in {@code [snrMin, snrMax]} dB;</li>
 *   <li><b>babble</b>: another utterance of the batch, shifted in time, at a ratio drawn in the same range;</li>
 *   <li><b>reverb</b>: the power envelope of each band convolved with an exponentially decaying tail (a
 *       synthetic room impulse response of reverberation time 0.2–1.0 s and a random direct-to-reverberant
 *       ratio), which is how reverberation acts on a power spectrogram when the tail's phases are random;</li>
 *   <li><b>band limit</b>: bands above a cut-off drawn in 3.4–7 kHz (telephone, codecs, cheap microphones) and,
 *       half the time, below 300 Hz fall to the noise floor of the take.</li>
 * </ul>
 * Options at 0 draw nothing.
 */
final class RoomAugment {

    private static final double FLUCTUATION_DB = 1.5;
    /** The mean of 10^(FLUCTUATION_DB · N(0,1) / 10), divided out so that fluctuation does not change the level. */
    private static final double FLUCTUATION_MEAN = Math.exp(0.5 * Math.pow(FLUCTUATION_DB * Math.log(10) / 10, 2));

    private RoomAugment() {}

    /**
     * Augments example {@code b} of {@code batch} ({@code [n, bands, frames]} raw decibels) in place; {@code others}
     * is an untouched copy of the batch, where babble comes from.
     */
    static void apply(float[] batch, float[] others, int n, int b, int bands, int frames, SpectrogramInput input,
                      AugmentConfig c, SplittableRandom random) {
        int size = bands * frames, base = b * size;
        double[] p = new double[size];
        double mean = 0;
        for (int i = 0; i < size; i++) {
            p[i] = Math.pow(10, batch[base + i] / 10.0);
            mean += p[i];
        }
        mean /= size;
        if (c.reverb() > 0 && random.nextDouble() < c.reverb()) reverberate(p, bands, frames, input.frameSeconds(), random);
        if (c.babble() > 0 && n > 1 && random.nextDouble() < c.babble()) {
            int other = (b + 1 + random.nextInt(n - 1)) % n;
            int shift = random.nextInt(frames);
            double otherMean = 0;
            for (int i = 0; i < size; i++) otherMean += Math.pow(10, others[other * size + i] / 10.0);
            otherMean /= size;
            double gain = mean / Math.max(otherMean, 1e-30) * Math.pow(10, -snr(c, random) / 10);
            for (int k = 0; k < bands; k++) {
                for (int t = 0; t < frames; t++) {
                    p[k * frames + t] += gain * Math.pow(10, others[other * size + k * frames + (t + shift) % frames] / 10.0);
                }
            }
        }
        if (c.noise() > 0 && random.nextDouble() < c.noise()) {
            double slope = 2 * random.nextDouble() - 1.5;   // power ∝ f^slope: +0.5 blue-ish, -1 pink, -1.5 near brown
            double[] shape = new double[bands];
            double total = 0;
            for (int k = 0; k < bands; k++) total += shape[k] = Math.pow(Math.max(input.bandHz()[k], 20) / 1000, slope);
            double level = mean * Math.pow(10, -snr(c, random) / 10) * bands / total / FLUCTUATION_MEAN;
            for (int k = 0; k < bands; k++) {
                for (int t = 0; t < frames; t++) {
                    p[k * frames + t] += level * shape[k] * Math.pow(10, FLUCTUATION_DB * SpectralAugment.gaussian(random) / 10);
                }
            }
        }
        if (c.bandLimit() > 0 && random.nextDouble() < c.bandLimit()) {
            double high = 3400 + 3600 * random.nextDouble();
            boolean lowCut = random.nextBoolean();
            double floor = Double.MAX_VALUE;
            for (double v : p) if (v > 0) floor = Math.min(floor, v);
            floor = Math.max(floor, mean * 1e-8);
            for (int k = 0; k < bands; k++) {
                double hz = input.bandHz()[k];
                if (hz > high || lowCut && hz < 300) for (int t = 0; t < frames; t++) p[k * frames + t] = floor;
            }
        }
        for (int i = 0; i < size; i++) batch[base + i] = (float) (10 * Math.log10(Math.max(p[i], 1e-10)));
    }

    private static void reverberate(double[] p, int bands, int frames, double frameSeconds, SplittableRandom random) {
        double t60 = 0.2 + 0.8 * random.nextDouble();
        double decay = Math.pow(10, -6 * frameSeconds / t60);          // power falls 60 dB in t60
        double tail = Math.pow(10, (-6 + 12 * random.nextDouble()) / 10); // direct-to-reverberant ratio of -6..+6 dB
        for (int k = 0; k < bands; k++) {
            double state = 0;
            for (int t = 0; t < frames; t++) {
                double direct = p[k * frames + t];
                p[k * frames + t] = direct + tail * state;
                state = state * decay + direct * (1 - decay);
            }
        }
    }

    private static double snr(AugmentConfig c, SplittableRandom random) {
        return c.snrMin() + (c.snrMax() - c.snrMin()) * random.nextDouble();
    }
}
