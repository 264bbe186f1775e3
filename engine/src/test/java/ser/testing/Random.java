package ser.testing;

import java.util.SplittableRandom;

/** Seeded random arrays for tests. */
public final class Random {

    private final SplittableRandom random;

    public Random(long seed) {
        random = new SplittableRandom(seed);
    }

    public double[] gaussian(int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = scale * random.nextGaussian();
        return a;
    }

    public double[] uniform(int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = random.nextDouble(lo, hi);
        return a;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** Values rounded to float first, so that float and double runs see the same inputs. */
    public static double[] floatRounded(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = (float) a[i];
        return r;
    }

    public static float[] toFloat(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = (float) a[i];
        return r;
    }

    public static double[] toDouble(float[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }
}
