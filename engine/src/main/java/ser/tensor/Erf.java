package ser.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * The error function in float, for the exact GELU: the rational approximation {@code erf(x) = x·P(x²) / Q(x²)}
 * on {@code [-4, 4]} that Eigen and XLA use for float (beyond ±4, erf is ±1 to within float precision). Measured
 * against a double-precision series ({@code ErfTest}): at most 3.3e-7 absolute error, and 2.4e-7 relative near 0.
 * The textbook Abramowitz-Stegun 7.1.26 formula is as good in absolute terms (1.4e-7) but not near 0, where GELU's
 * small activations live: 1e-4 relative at x = 1e-5, and 1e-9 for erf(1e-30). NaN stays NaN: the clamps keep it.
 *
 * <p>The scalar and the vector form evaluate the same fused multiply-adds in the same order, so {@link ScalarOps}
 * and {@link SimdOps} agree bit for bit.
 */
final class Erf {

    private Erf() {}

    // Numerator P (odd part divided by x) and denominator Q, highest power first, for Horner's rule in x².
    private static final float P13 = -2.72614225801306e-10f, P11 = 2.77068142495902e-08f,
            P9 = -2.10102402082508e-06f, P7 = -5.69250639462346e-05f, P5 = -7.34990630326855e-04f,
            P3 = -2.95459980854025e-03f, P1 = -1.60960333262415e-02f;
    private static final float Q8 = -1.45660718464996e-05f, Q6 = -2.13374055278905e-04f,
            Q4 = -1.68282697438203e-03f, Q2 = -7.37332916720468e-03f, Q0 = -1.42647390514189e-02f;

    static final float INV_SQRT2 = 0.70710678118654752f;

    static float erf(float x) {
        float c = Math.clamp(x, -4f, 4f);
        float x2 = c * c;
        float p = Math.fma(x2, P13, P11);
        p = Math.fma(x2, p, P9);
        p = Math.fma(x2, p, P7);
        p = Math.fma(x2, p, P5);
        p = Math.fma(x2, p, P3);
        p = Math.fma(x2, p, P1);
        float q = Math.fma(x2, Q8, Q6);
        q = Math.fma(x2, q, Q4);
        q = Math.fma(x2, q, Q2);
        q = Math.fma(x2, q, Q0);
        return c * p / q;
    }

    /** GELU, {@code x/2 · (1 + erf(x/√2))}. */
    static float gelu(float x) {
        return 0.5f * x * (1f + erf(x * INV_SQRT2));
    }

    static FloatVector erf(FloatVector x) {
        FloatVector c = x.max(-4f).min(4f);
        FloatVector x2 = c.mul(c);
        FloatVector p = x2.fma(P13, P11);
        p = p.fma(x2, x2.broadcast(P9));
        p = p.fma(x2, x2.broadcast(P7));
        p = p.fma(x2, x2.broadcast(P5));
        p = p.fma(x2, x2.broadcast(P3));
        p = p.fma(x2, x2.broadcast(P1));
        FloatVector q = x2.fma(Q8, Q6);
        q = q.fma(x2, x2.broadcast(Q4));
        q = q.fma(x2, x2.broadcast(Q2));
        q = q.fma(x2, x2.broadcast(Q0));
        return c.mul(p).div(q);
    }

    static FloatVector gelu(FloatVector x) {
        return x.mul(0.5f).mul(erf(x.mul(INV_SQRT2)).add(1f));
    }
}
