package ser.cuda;

import java.util.Random;

/**
 * One comparison of the GPU harness: the worst |expected - actual| over all elements, against the largest |expected|;
 * it passes when the first is at most {@code tolerance} times the second (a NaN never passes, nor does a length
 * mismatch). {@link GpuCheck} prints one line a check and records it in its JSON.
 */
public record Check(String name, double maxAbsError, double referenceMaxAbs, double tolerance, long elements) {

    public double relative() {
        return maxAbsError / Math.max(referenceMaxAbs, 1e-6);
    }

    public boolean passed() {
        return relative() <= tolerance;
    }

    public String line() {
        return String.format("%-4s %-64s max|err| %.3e  max|ref| %.3e  rel %.3e  (tol %.0e, %d values)",
                passed() ? "ok" : "FAIL", name, maxAbsError, referenceMaxAbs, relative(), tolerance, elements);
    }

    public static Check compare(String name, float[] expected, float[] actual, double tolerance) {
        if (expected.length != actual.length) {
            return new Check(name + " (length " + actual.length + " != " + expected.length + ")", Double.NaN, 0,
                    tolerance, actual.length);
        }
        double max = 0, worst = 0;
        for (float v : expected) if (!Float.isNaN(v)) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;  // a NaN where the reference has one
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) worst = d;  // NaN sticks
        }
        return new Check(name, worst, max, tolerance, expected.length);
    }

    /** Exact comparison of integers (argmax): the error is the number of differing entries. */
    public static Check exact(String name, int[] expected, int[] actual) {
        long differ = expected.length == actual.length ? 0 : Math.max(expected.length, actual.length);
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) if (expected[i] != actual[i]) differ++;
        return new Check(name, differ, 1, 0, expected.length);
    }

    /** Standard normal values, the same for every run of a seed. */
    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }
}
