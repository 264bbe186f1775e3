package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link SimdOps} over {@code float[]} ranges: species-agnostic (whatever width the CPU prefers), a
 * vector body up to {@code SPECIES.loopBound(n)} and a scalar tail that computes what {@link ScalarOps} computes.
 * Each method takes arrays with start offsets and a length; the output may be the same range as an input.
 *
 * <p>The operator of each loop is a compile-time constant on purpose: the JIT only turns {@code lanewise} into
 * machine instructions when it can see which operator it is.
 */
final class VectorKernels {

    private VectorKernels() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    // ---- element-wise -------------------------------------------------------------------------------------

    static void add(float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).add(FloatVector.fromArray(SPECIES, y, yo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] + y[yo + i];
    }

    static void sub(float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).sub(FloatVector.fromArray(SPECIES, y, yo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] - y[yo + i];
    }

    static void mul(float[] x, int xo, float[] y, int yo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).mul(FloatVector.fromArray(SPECIES, y, yo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] * y[yo + i];
    }

    /** {@code out = x + s}. */
    static void addScalar(float[] x, int xo, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).add(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = x[xo + i] + s;
    }

    /** {@code out = s - x}. */
    static void subFromScalar(float s, float[] x, int xo, float[] out, int oo, int n) {
        FloatVector sv = FloatVector.broadcast(SPECIES, s);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            sv.sub(FloatVector.fromArray(SPECIES, x, xo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = s - x[xo + i];
    }

    /** {@code out = s · x}. */
    static void scale(float[] x, int xo, float s, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).mul(s).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = s * x[xo + i];
    }

    static void relu(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).max(0f).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Math.max(x[xo + i], 0f);
    }

    static void gelu(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            Erf.gelu(FloatVector.fromArray(SPECIES, x, xo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Erf.gelu(x[xo + i]);
    }

    static void exp(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            Exp.exp(FloatVector.fromArray(SPECIES, x, xo + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = Exp.exp(x[xo + i]);
    }

    /**
     * Ops.log, on no model's path: it keeps the Vector API's LOG, whose bits may change when C2 compiles the caller
     * (see {@link Exp}; the log-Mel features take their logarithm from {@code Decibels}, which avoids that).
     */
    static void log(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).lanewise(VectorOperators.LOG).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = (float) Math.log(x[xo + i]);
    }

    static void sqrt(float[] x, int xo, float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SPECIES, x, xo + i).sqrt().intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = (float) Math.sqrt(x[xo + i]);
    }

    // ---- reductions ---------------------------------------------------------------------------------------

    static float sum(float[] x, int xo, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) acc = acc.add(FloatVector.fromArray(SPECIES, x, xo + i));
        float s = VectorSums.lanes(acc);
        for (; i < n; i++) s += x[xo + i];
        return s;
    }

    /** Maximum of a non-empty range; NaN if it holds one (as {@link Math#max}). */
    static float max(float[] x, int xo, int n) {
        float m = x[xo];
        int i = 0;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.fromArray(SPECIES, x, xo);
            for (i = L; i < bound; i += L) acc = acc.max(FloatVector.fromArray(SPECIES, x, xo + i));
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) m = Math.max(m, x[xo + i]);
        return m;
    }

    /** Index of the first maximum of a non-empty range, or of the first NaN. */
    static int argmax(float[] x, int xo, int n) {
        float m = max(x, xo, n);
        if (Float.isNaN(m)) {
            for (int i = 0; ; i++) if (Float.isNaN(x[xo + i])) return i;
        }
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            var hit = FloatVector.fromArray(SPECIES, x, xo + i).eq(m);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        for (; ; i++) if (x[xo + i] == m) return i;
    }

    /** {@code Σ (x - mean)²}: the second pass of a two-pass variance, which cannot cancel catastrophically. */
    static float sumSquaredDeviations(float[] x, int xo, float mean, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, xo + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float s = VectorSums.lanes(acc);
        for (; i < n; i++) {
            float d = x[xo + i] - mean;
            s += d * d;
        }
        return s;
    }

    // ---- row-wise pieces ----------------------------------------------------------------------------------

    /**
     * {@code out = exp(x - shift)} (0 for terms under e^-64, {@link Exp#expOrZero}), returning the sum of the
     * written values. The tail is a masked vector rather than scalar: {@code Math.exp} costs as much as a vector
     * of them, and attention rows (149 keys for 3 s) have a tail in every row.
     */
    static float expShiftedSum(float[] x, int xo, float shift, float[] out, int oo, int n) {
        // Whole vectors, then one masked for the tail: a mask on every step cost an attention head's softmax (149
        // rows of 149 scores) about 8 %. Each lane sums the same elements in the same order either way.
        FloatVector acc = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector e = Exp.expOrZero(FloatVector.fromArray(SPECIES, x, xo + i).sub(shift));
            e.intoArray(out, oo + i);
            acc = acc.add(e);
        }
        if (i < n) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            FloatVector e = Exp.expOrZero(FloatVector.fromArray(SPECIES, x, xo + i, m).sub(shift));
            e.intoArray(out, oo + i, m);
            acc = acc.add(e, m);
        }
        return VectorSums.lanes(acc);
    }

    /** {@code Σ exp(x - shift)} without writing anything. */
    static float expShiftedSum(float[] x, int xo, float shift, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = SPECIES.indexInRange(i, n);
            acc = acc.add(Exp.expOrZero(FloatVector.fromArray(SPECIES, x, xo + i, m).sub(shift)), m);
        }
        return VectorSums.lanes(acc);
    }

    /**
     * Layer norm's last pass, {@code out = (x - mean) · rstd · gamma + beta}; {@code gamma}/{@code beta} may be
     * {@code null} for 1 and 0.
     */
    static void normalize(float[] x, int xo, float mean, float rstd, float[] gamma, int go, float[] beta, int bo,
                          float[] out, int oo, int n) {
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, xo + i).sub(mean).mul(rstd);
            if (gamma != null) v = v.mul(FloatVector.fromArray(SPECIES, gamma, go + i));
            if (beta != null) v = v.add(FloatVector.fromArray(SPECIES, beta, bo + i));
            v.intoArray(out, oo + i);
        }
        for (; i < n; i++) {
            float v = (x[xo + i] - mean) * rstd;
            if (gamma != null) v *= gamma[go + i];
            if (beta != null) v += beta[bo + i];
            out[oo + i] = v;
        }
    }
}
