package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** The float erf and GELU against double-precision values from a series that has no cancellation. */
class ErfTest {

    /**
     * erf in double: {@code erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))}, all terms positive, so the
     * sum is accurate to a few ulps of double. Beyond |x| = 6, {@code 1 - erf} is below 1e-16.
     */
    static double erfExact(double x) {
        double ax = Math.abs(x);
        if (ax > 6) return Math.signum(x);
        double term = ax, sum = ax;
        for (int n = 0; term > 1e-17 * sum; n++) {
            term *= 2 * ax * ax / (2 * n + 3);
            sum += term;
        }
        return Math.signum(x) * 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
    }

    static double geluExact(double x) {
        return 0.5 * x * (1 + erfExact(x / Math.sqrt(2)));
    }

    @Test
    void erfIsWithinAMillionthEverywhere() {
        for (int i = -70_000; i <= 70_000; i++) {
            float x = i * 1e-4f;
            double error = Math.abs(Erf.erf(x) - erfExact(x));
            if (error > 5e-7) fail("erf(" + x + ") = " + Erf.erf(x) + ", exact " + erfExact(x));
        }
    }

    @Test
    void erfKeepsItsRelativePrecisionNearZero() {
        // GELU of small activations lives here; a formula with only absolute accuracy would lose them.
        for (float x : new float[] {1e-30f, 1e-10f, 1e-5f, 1e-3f, 0.1f, 0.4999f}) {
            for (float s : new float[] {x, -x}) {
                double relative = Math.abs(Erf.erf(s) - erfExact(s)) / Math.abs(erfExact(s));
                assertTrue(relative < 1e-6, "erf(" + s + ") off by " + relative + " relative");
            }
        }
    }

    @Test
    void erfIsOddAndSaturates() {
        for (float x = 0; x < 8; x += 0.37f) assertEquals(-Erf.erf(x), Erf.erf(-x), "erf(-" + x + ")");
        assertEquals(1f, Erf.erf(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Erf.erf(Float.NEGATIVE_INFINITY));
        assertEquals(1f, Erf.erf(9f));
        assertTrue(Float.isNaN(Erf.erf(Float.NaN)));
    }

    @Test
    void geluMatchesTheExactFormula() {
        // The error of erf scales with x in x·(1 + erf): the bound is relative to max(1, |x|).
        for (int i = -100_000; i <= 100_000; i++) {
            float x = i * 1e-4f;
            double exact = geluExact(x);
            double error = Math.abs(Erf.gelu(x) - exact);
            if (error > 4e-7 * Math.max(1, Math.abs(x))) fail("gelu(" + x + ") = " + Erf.gelu(x) + ", exact " + exact);
        }
        assertEquals(0f, Erf.gelu(0f));
        assertEquals(100f, Erf.gelu(100f));
        assertTrue(Float.isNaN(Erf.gelu(Float.NaN)));
    }

    @Test
    void geluThroughTheBackendsMatchesTheExactFormula() {
        float[] x = {-5f, -1.5f, -0.1f, 0f, 1e-4f, 0.5f, 1f, 2.5f, 7f};
        for (Ops ops : new Ops[] {new ScalarOps(), new SimdOps(new Parallel(1))}) {
            Tensor out = Tensor.zeros(x.length);
            ops.gelu(Tensor.wrap(x, x.length), out);
            for (int i = 0; i < x.length; i++) {
                assertEquals(geluExact(x[i]), out.get(i), 4e-7 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
            }
        }
    }
}
