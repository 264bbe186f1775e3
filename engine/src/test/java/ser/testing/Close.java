package ser.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Array comparisons with a tolerance relative to the largest magnitude of the expected array. */
public final class Close {

    private Close() {}

    /** {@code |actual − expected| ≤ tol·max(max|expected|, floor)} element-wise. */
    public static void assertClose(String what, double[] expected, double[] actual, double tol, double floor) {
        if (expected.length != actual.length) fail(what + ": length " + actual.length + ", expected " + expected.length);
        double scale = floor;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= tol * scale)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (error " + err + " > " + tol + " x " + scale + ")");
            }
        }
    }

    public static void assertClose(String what, double[] expected, float[] actual, double tol) {
        assertClose(what, expected, Random.toDouble(actual), tol, 1e-12);
    }

    public static void assertClose(String what, float[] expected, float[] actual, double tol) {
        assertClose(what, Random.toDouble(expected), Random.toDouble(actual), tol, 1e-12);
    }
}
