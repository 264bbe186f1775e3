package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution as im2col + GEMM, one image at a time, the batch split across {@link Parallel} slices. The weight
 * gradient sums one partial per slice, then adds the partials in slice order (deterministic per thread count).
 * A 1×1 stride-1 unpadded convolution skips the unfolding: the image already is the matrix.
 */
final class Conv2dKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Conv2dKernel() {}

    static void forward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        int pixels = s.outH() * s.outW(), patch = s.patch();
        boolean direct = isPointwise(s);
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            float[] col = direct ? null : new float[patch * pixels];
            for (int n = from; n < to; n++) {
                float[] bMatrix = col;
                int bAt = 0;
                if (direct) {
                    bMatrix = x;
                    bAt = n * s.inputSize();
                } else Im2col.unfold(s, x, n * s.inputSize(), col);
                int yAt = n * s.outputSize();
                MatMul.gemm(false, false, s.cout(), pixels, patch, w, 0, patch, bMatrix, bAt, pixels, y, yAt, pixels, false);
                if (b != null) {
                    for (int co = 0; co < s.cout(); co++) addScalar(y, yAt + co * pixels, pixels, b[co]);
                }
            }
        });
    }

    static void backward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db) {
        int pixels = s.outH() * s.outW(), patch = s.patch();
        boolean direct = isPointwise(s);
        float[] wT = dx == null ? null : transpose(w, s.cout(), patch);
        int chunks = Parallel.chunks(s.n());
        float[][] dwPart = new float[chunks][s.weightSize()];
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            float[] col = direct ? null : new float[patch * pixels];
            float[] dcol = direct || dx == null ? null : new float[patch * pixels];
            for (int n = from; n < to; n++) {
                int yAt = n * s.outputSize(), xAt = n * s.inputSize();
                float[] bMatrix = col;
                int bAt = 0;
                if (direct) {
                    bMatrix = x;
                    bAt = xAt;
                } else Im2col.unfold(s, x, xAt, col);
                MatMul.gemm(false, true, s.cout(), patch, pixels, dy, yAt, pixels, bMatrix, bAt, pixels,
                        dwPart[chunk], 0, patch, true);
                if (dx == null) continue;
                if (direct) {
                    MatMul.gemm(false, false, patch, pixels, s.cout(), wT, 0, s.cout(), dy, yAt, pixels, dx, xAt, pixels, false);
                } else {
                    MatMul.gemm(false, false, patch, pixels, s.cout(), wT, 0, s.cout(), dy, yAt, pixels, dcol, 0, pixels, false);
                    java.util.Arrays.fill(dx, xAt, xAt + s.inputSize(), 0f);
                    Im2col.foldAdd(s, dcol, dx, xAt);
                }
            }
        });
        System.arraycopy(dwPart[0], 0, dw, 0, dw.length);
        for (int c = 1; c < chunks; c++) {
            for (int i = 0; i < dw.length; i++) dw[i] += dwPart[c][i];
        }
        if (db != null) {
            java.util.Arrays.fill(db, 0f);
            for (int n = 0; n < s.n(); n++) {
                for (int co = 0; co < s.cout(); co++) db[co] += sum(dy, n * s.outputSize() + co * pixels, pixels);
            }
        }
    }

    private static boolean isPointwise(ConvShape s) {
        return s.kh() == 1 && s.kw() == 1 && s.stride() == 1 && s.pad() == 0;
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    private static void addScalar(float[] a, int at, int len, float v) {
        FloatVector add = FloatVector.broadcast(S, v);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) FloatVector.fromArray(S, a, at + k).add(add).intoArray(a, at + k);
        for (; k < len; k++) a[at + k] += v;
    }

    static float sum(float[] a, int at, int len) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) acc = acc.add(FloatVector.fromArray(S, a, at + k));
        float total = Lanes.sum(acc, new float[S.length()]);
        for (; k < len; k++) total += a[at + k];
        return total;
    }
}
