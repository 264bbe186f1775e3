package ser.synth;

import java.util.SplittableRandom;

/**
 * The synthesiser's only source of chance. Gaussians come from Box–Muller on StrictMath rather than the JDK's
 * ziggurat (which calls Math.exp, free to differ by an ulp between JVMs), so a seed names the same bytes everywhere.
 */
final class SynthRandom {

    private final SplittableRandom rng;
    private double spareGaussian = Double.NaN;

    SynthRandom(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    /** Uniform in [-1, 1): white noise. */
    double bipolar() {
        return 2 * rng.nextDouble() - 1;
    }

    int nextInt(int bound) {
        return rng.nextInt(bound);
    }

    boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: keeps log finite
        double u2 = rng.nextDouble();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2 * Math.PI * u2;
        spareGaussian = radius * StrictMath.sin(angle);
        return radius * StrictMath.cos(angle);
    }

    /** A Gaussian cut at ±{@code limit} s.d., for parameters where a rare extreme draw would break the voice. */
    double gaussian(double limit) {
        return Math.max(-limit, Math.min(limit, gaussian()));
    }
}
