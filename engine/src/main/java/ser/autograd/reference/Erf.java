package ser.autograd.reference;

/**
 * The error function to about 1e-15, for the exact (erf-based) GELU; Java's Math has none.
 *
 * <p>Below |x| = 3 the series {@code erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (2n+1)!!} (all terms positive,
 * so no cancellation); above it the continued fraction of erfc, which converges fast there.
 */
public final class Erf {

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Erf() {}

    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double a = Math.abs(x);
        double r = a < 3 ? series(a) : 1 - erfcContinuedFraction(a);
        return x < 0 ? -r : r;
    }

    private static double series(double a) {
        double x2 = a * a, term = a, sum = a;
        for (int n = 1; term > 1e-17 * sum; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** {@code erfc(a) = e^(−a²)/√π · 1/(a + ½/(a + 1/(a + (3/2)/(a + …))))}, evaluated from the tail. */
    private static double erfcContinuedFraction(double a) {
        double tail = a;
        for (int k = 60; k >= 1; k--) tail = a + (k / 2.0) / tail;
        return Math.exp(-a * a) / (Math.sqrt(Math.PI) * tail);
    }
}
