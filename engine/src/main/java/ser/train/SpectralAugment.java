package ser.train;

import ser.run.AugmentConfig;

import java.util.SplittableRandom;

/**
 * Stand-ins, on a batch of log-Mel inputs {@code [n, 1, bands, frames]}, for what changes between corpora and
 * microphones but not between emotions:
 * <ul>
 *   <li>a random equaliser ({@code eq}): a tilt across the bands plus two smooth bumps, added to every frame,
 *       as a microphone, room or codec colours a recording (each of standard deviation {@code eq}, in input units);
 *   <li>a warp of the band axis by a factor in {@code [1 - warp, 1 + warp]} (vocal tract length perturbation,
 *       Jaitly and Hinton 2013): other speakers' formants and pitch;
 *   <li>a stretch of the time axis by a factor in {@code [1 - stretch, 1 + stretch]}: other speaking rates.
 * </ul>
 * Options at 0 draw nothing, so recipes without them keep their random streams.
 */
final class SpectralAugment {

    private SpectralAugment() {}

    static void apply(float[] batch, int n, int bands, int frames, AugmentConfig c, SplittableRandom random) {
        int size = bands * frames;
        float[] scratch = new float[size];
        for (int b = 0; b < n; b++) {
            int base = b * size;
            if (c.warp() > 0) warpBands(batch, base, bands, frames, 1 + c.warp() * (2 * random.nextDouble() - 1), scratch);
            if (c.stretch() > 0) stretchTime(batch, base, bands, frames, 1 + c.stretch() * (2 * random.nextDouble() - 1), scratch);
            if (c.eq() > 0) equalise(batch, base, bands, frames, c.eq(), random);
        }
    }

    /** Band b of the result is band b / factor of the input, linearly interpolated, the top band held past the end. */
    static void warpBands(float[] x, int base, int bands, int frames, double factor, float[] scratch) {
        System.arraycopy(x, base, scratch, 0, bands * frames);
        for (int b = 0; b < bands; b++) {
            double src = Math.min(b / factor, bands - 1);
            int lo = (int) src, hi = Math.min(lo + 1, bands - 1);
            float w = (float) (src - lo);
            for (int t = 0; t < frames; t++) {
                x[base + b * frames + t] = (1 - w) * scratch[lo * frames + t] + w * scratch[hi * frames + t];
            }
        }
    }

    /** Frame t of the result is frame t · factor of the input, linearly interpolated, the last frame held past the end. */
    static void stretchTime(float[] x, int base, int bands, int frames, double factor, float[] scratch) {
        System.arraycopy(x, base, scratch, 0, bands * frames);
        for (int t = 0; t < frames; t++) {
            double src = Math.min(t * factor, frames - 1);
            int lo = (int) src, hi = Math.min(lo + 1, frames - 1);
            float w = (float) (src - lo);
            for (int b = 0; b < bands; b++) {
                x[base + b * frames + t] = (1 - w) * scratch[b * frames + lo] + w * scratch[b * frames + hi];
            }
        }
    }

    private static void equalise(float[] x, int base, int bands, int frames, double sd, SplittableRandom random) {
        double tilt = sd * gaussian(random);
        double[] centre = {random.nextDouble(), random.nextDouble()};
        double[] width = {0.05 + 0.2 * random.nextDouble(), 0.05 + 0.2 * random.nextDouble()};
        double[] gain = {sd * gaussian(random), sd * gaussian(random)};
        for (int b = 0; b < bands; b++) {
            double f = (b + 0.5) / bands;
            double offset = tilt * (2 * f - 1);
            for (int k = 0; k < 2; k++) offset += gain[k] * Math.exp(-0.5 * Math.pow((f - centre[k]) / width[k], 2));
            float o = (float) offset;
            for (int t = 0; t < frames; t++) x[base + b * frames + t] += o;
        }
    }

    /**
     * A standard normal draw (Box-Muller on two uniforms) from the augmentation stream; written out rather than
     * {@code nextGaussian()} so that the draws are fixed by this code, not by the JDK's algorithm.
     */
    static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
