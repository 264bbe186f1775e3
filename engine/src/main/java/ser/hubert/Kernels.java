package ser.hubert;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import ser.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * The arithmetic of the encoder, on row-major float tensors whose last axis is contiguous.
 *
 * <p>Every weight matrix is stored {@code [in, out]} (the converter lays them out so), so one kernel shape
 * serves linear layers and convolutions alike: {@code C = A·B} with each element of A broadcast against a
 * vector of B's row. A may have any row stride, including one shorter than its row: that is how a strided
 * conv reads its input windows in place, without an im2col copy.
 *
 * <p>Each vector kernel has a plain scalar twin ({@code *Reference}) that the tests hold it to.
 */
final class Kernels {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int V = SPECIES.length();
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int ROWS = 4;

    private Kernels() {}

    // ---- C = A·B (+ bias) (+ C) --------------------------------------------------------------------------

    /**
     * {@code out = a·b + bias}, or {@code out += a·b + bias} when {@code accumulate}.
     *
     * @param a    [M, K], last axis contiguous, any row stride
     * @param b    [K, N], last axis contiguous, any row stride
     * @param bias [N] or null
     * @param out  [M, N], last axis contiguous, any row stride
     */
    static void matmul(Tensor a, Tensor b, Tensor bias, Tensor out, boolean accumulate) {
        matmul(a, b, bias, out, accumulate, true);
    }

    /** As above; {@code parallel = false} for callers that already split their work across threads. */
    static void matmul(Tensor a, Tensor b, Tensor bias, Tensor out, boolean accumulate, boolean parallel) {
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        check(a.stride(1) == 1 && out.stride(1) == 1 && b.stride(1) == 1 && b.dim(0) == k
                && out.dim(0) == m && out.dim(1) == n && (bias == null || bias.size() == n), "matmul", a, b, out);
        // Column panels of two vectors: a panel of B (K rows × 2V floats) stays in cache while every row
        // block of A streams past it. Panels are independent, so they are the unit of parallel work.
        int panel = 2 * V;
        int panels = (n + panel - 1) / panel;
        IntStream range = IntStream.range(0, panels);
        if (parallel && (long) m * n * k > 1 << 18) range = range.parallel();
        range.forEach(p -> {
            int j0 = p * panel, j1 = Math.min(n, j0 + panel);
            for (int i = 0; i < m; i += ROWS) {
                int rows = Math.min(ROWS, m - i);
                if (j1 - j0 == panel && rows == ROWS) block4x2(a, b, bias, out, accumulate, i, j0, k);
                else edge(a, b, bias, out, accumulate, i, i + rows, j0, j1, k);
            }
        });
    }

    /** The hot tile: 4 rows × 2 vectors, eight accumulators. */
    private static void block4x2(Tensor a, Tensor b, Tensor bias, Tensor out, boolean accumulate, int i, int j, int k) {
        MemorySegment as = a.segment(), bs = b.segment(), os = out.segment();
        long lda = a.stride(0), ldb = b.stride(0), ldo = out.stride(0);
        long a0 = a.offset() + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        long bj = (b.offset() + j) * 4L;
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00,
                c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < k; p++) {
            long bo = bj + p * ldb * 4L;
            FloatVector b0 = FloatVector.fromMemorySegment(SPECIES, bs, bo, LE);
            FloatVector b1 = FloatVector.fromMemorySegment(SPECIES, bs, bo + V * 4L, LE);
            FloatVector x = FloatVector.broadcast(SPECIES, as.getAtIndex(F32, a0 + p));
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, as.getAtIndex(F32, a1 + p));
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, as.getAtIndex(F32, a2 + p));
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, as.getAtIndex(F32, a3 + p));
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        long o = (out.offset() + (long) i * ldo + j) * 4L, step = ldo * 4L;
        store(c00, c01, bias, j, os, o, accumulate);
        store(c10, c11, bias, j, os, o + step, accumulate);
        store(c20, c21, bias, j, os, o + 2 * step, accumulate);
        store(c30, c31, bias, j, os, o + 3 * step, accumulate);
    }

    /** Writes one row of a tile (two vectors at byte offset {@code o}), adding bias and prior contents as asked. */
    private static void store(FloatVector lo, FloatVector hi, Tensor bias, int j, MemorySegment os, long o, boolean accumulate) {
        if (bias != null) {
            long bo = (bias.offset() + j) * 4L;
            lo = lo.add(FloatVector.fromMemorySegment(SPECIES, bias.segment(), bo, LE));
            hi = hi.add(FloatVector.fromMemorySegment(SPECIES, bias.segment(), bo + V * 4L, LE));
        }
        if (accumulate) {
            lo = lo.add(FloatVector.fromMemorySegment(SPECIES, os, o, LE));
            hi = hi.add(FloatVector.fromMemorySegment(SPECIES, os, o + V * 4L, LE));
        }
        lo.intoMemorySegment(os, o, LE);
        hi.intoMemorySegment(os, o + V * 4L, LE);
    }

    /** Leftover rows and columns, one output at a time. */
    private static void edge(Tensor a, Tensor b, Tensor bias, Tensor out, boolean accumulate,
                             int i0, int i1, int j0, int j1, int k) {
        MemorySegment as = a.segment(), bs = b.segment(), os = out.segment();
        long lda = a.stride(0), ldb = b.stride(0), ldo = out.stride(0);
        for (int i = i0; i < i1; i++) {
            long ai = a.offset() + i * lda;
            for (int j = j0; j < j1; j++) {
                float s = bias == null ? 0 : bias.segment().getAtIndex(F32, bias.offset() + j);
                long bjj = b.offset() + j;
                for (int p = 0; p < k; p++) s += as.getAtIndex(F32, ai + p) * bs.getAtIndex(F32, bjj + p * ldb);
                long o = out.offset() + i * ldo + j;
                os.setAtIndex(F32, o, accumulate ? os.getAtIndex(F32, o) + s : s);
            }
        }
    }

    static void matmulReference(Tensor a, Tensor b, Tensor bias, Tensor out, boolean accumulate) {
        for (int i = 0; i < a.dim(0); i++) {
            for (int j = 0; j < b.dim(1); j++) {
                double s = bias == null ? 0 : bias.getFlat(j);
                for (int p = 0; p < a.dim(1); p++) s += (double) a.get(i, p) * b.get(p, j);
                out.set((float) (accumulate ? out.get(i, j) + s : s), i, j);
            }
        }
    }

    // ---- normalisation ----------------------------------------------------------------------------------

    /** Layer norm of each row of {@code x} [M, N] in place: (x - mean) / sqrt(var + eps) * gamma + beta. */
    static void layerNormRows(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int m = x.dim(0), n = x.dim(1);
        check(x.stride(1) == 1 && gamma.size() == n && beta.size() == n, "layerNorm", x, gamma, beta);
        IntStream.range(0, m).parallel().forEach(i -> {
            MemorySegment s = x.segment();
            long row = x.offset() + i * x.stride(0);
            double sum = 0;
            for (int j = 0; j < n; j++) sum += s.getAtIndex(F32, row + j);
            double mean = sum / n, sq = 0;
            for (int j = 0; j < n; j++) {
                double d = s.getAtIndex(F32, row + j) - mean;
                sq += d * d;
            }
            float inv = (float) (1 / Math.sqrt(sq / n + eps));
            float mu = (float) mean;
            for (int j = 0; j < n; j++) {
                float v = (s.getAtIndex(F32, row + j) - mu) * inv;
                s.setAtIndex(F32, row + j, v * gamma.getFlat(j) + beta.getFlat(j));
            }
        });
    }

    /**
     * Group norm with one group per channel over a [T, C] map: each column is normalised over time.
     * That is what GroupNorm(C, C) does to the first conv's [C, T] output in the reference.
     */
    static void normaliseColumns(Tensor x, Tensor gamma, Tensor beta, float eps) {
        int t = x.dim(0), c = x.dim(1);
        check(x.stride(1) == 1 && gamma.size() == c && beta.size() == c, "groupNorm", x, gamma, beta);
        double[] sum = new double[c], sq = new double[c];
        for (int i = 0; i < t; i++) for (int j = 0; j < c; j++) sum[j] += x.get(i, j);
        float[] mean = new float[c], scale = new float[c], shift = new float[c];
        for (int j = 0; j < c; j++) mean[j] = (float) (sum[j] / t);
        for (int i = 0; i < t; i++) {
            for (int j = 0; j < c; j++) {
                double d = x.get(i, j) - mean[j];
                sq[j] += d * d;
            }
        }
        for (int j = 0; j < c; j++) {
            scale[j] = (float) (gamma.getFlat(j) / Math.sqrt(sq[j] / t + eps));
            shift[j] = beta.getFlat(j) - mean[j] * scale[j];
        }
        IntStream.range(0, t).parallel().forEach(i -> {
            for (int j = 0; j < c; j++) x.set(x.get(i, j) * scale[j] + shift[j], i, j);
        });
    }

    // ---- GELU -------------------------------------------------------------------------------------------

    // Abramowitz & Stegun 7.1.26: erf(z) = 1 - (a1 t + ... + a5 t^5) e^(-z^2), t = 1 / (1 + p z), |error| < 1.5e-7.
    private static final float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);

    /** Exact (erf) GELU in place over rows of {@code x}: x/2 · (1 + erf(x/√2)). */
    static void gelu(Tensor x) {
        int m = x.dim(0), n = x.dim(1);
        check(x.stride(1) == 1, "gelu", x);
        IntStream range = IntStream.range(0, m);
        if ((long) m * n > 1 << 14) range = range.parallel();
        range.forEach(i -> {
            MemorySegment s = x.segment();
            long row = (x.offset() + i * x.stride(0)) * 4L;
            int j = 0;
            for (int bound = SPECIES.loopBound(n); j < bound; j += V) {
                long o = row + j * 4L;
                FloatVector v = FloatVector.fromMemorySegment(SPECIES, s, o, LE);
                FloatVector z = v.mul(INV_SQRT2).abs();
                FloatVector t = ONE.div(z.fma(P, 1f));
                FloatVector poly = t.fma(A5, A4).mul(t).add(A3).mul(t).add(A2).mul(t).add(A1).mul(t);
                FloatVector erfAbs = poly.mul(z.mul(z).neg().lanewise(VectorOperators.EXP)).neg().add(1f);
                FloatVector erf = erfAbs.blend(erfAbs.neg(), v.compare(VectorOperators.LT, 0f));
                v.mul(0.5f).mul(erf.add(1f)).intoMemorySegment(s, o, LE);
            }
            for (; j < n; j++) {
                long o = x.offset() + i * x.stride(0) + j;
                s.setAtIndex(F32, o, geluScalar(s.getAtIndex(F32, o)));
            }
        });
    }

    static float geluScalar(float x) {
        double z = Math.abs(x) * INV_SQRT2, t = 1 / (1 + P * z);
        double erf = 1 - t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5)))) * Math.exp(-z * z);
        return (float) (0.5 * x * (1 + Math.copySign(erf, x)));
    }

    // ---- attention pieces ------------------------------------------------------------------------------

    /** Softmax of each row of {@code x} [M, N] over its first {@code valid} columns; the rest become 0. */
    static void softmaxRows(Tensor x, int valid) {
        int m = x.dim(0), n = x.dim(1);
        check(x.stride(1) == 1 && valid > 0 && valid <= n, "softmax", x);
        MemorySegment s = x.segment();
        for (int i = 0; i < m; i++) {
            long row = x.offset() + i * x.stride(0);
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < valid; j++) max = Math.max(max, s.getAtIndex(F32, row + j));
            double sum = 0;
            for (int j = 0; j < valid; j++) {
                float e = (float) Math.exp(s.getAtIndex(F32, row + j) - max);
                s.setAtIndex(F32, row + j, e);
                sum += e;
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < valid; j++) s.setAtIndex(F32, row + j, s.getAtIndex(F32, row + j) * inv);
            for (int j = valid; j < n; j++) s.setAtIndex(F32, row + j, 0f);
        }
    }

    /** {@code x += y}, elementwise over [M, N] views with contiguous rows. */
    static void add(Tensor x, Tensor y) {
        int m = x.dim(0), n = x.dim(1);
        check(x.stride(1) == 1 && y.stride(1) == 1 && y.dim(0) == m && y.dim(1) == n, "add", x, y);
        for (int i = 0; i < m; i++) {
            long xo = (x.offset() + i * x.stride(0)) * 4L, yo = (y.offset() + i * y.stride(0)) * 4L;
            int j = 0;
            for (int bound = SPECIES.loopBound(n); j < bound; j += V) {
                FloatVector a = FloatVector.fromMemorySegment(SPECIES, x.segment(), xo + j * 4L, LE);
                FloatVector b = FloatVector.fromMemorySegment(SPECIES, y.segment(), yo + j * 4L, LE);
                a.add(b).intoMemorySegment(x.segment(), xo + j * 4L, LE);
            }
            for (; j < n; j++) {
                x.segment().setAtIndex(F32, x.offset() + i * x.stride(0) + j,
                        x.segment().getAtIndex(F32, x.offset() + i * x.stride(0) + j)
                                + y.segment().getAtIndex(F32, y.offset() + i * y.stride(0) + j));
            }
        }
    }

    private static void check(boolean ok, String op, Tensor... ts) {
        if (!ok) {
            StringBuilder sb = new StringBuilder(op).append(": bad operands");
            for (Tensor t : ts) sb.append(' ').append(t);
            throw new IllegalArgumentException(sb.toString());
        }
    }
}
