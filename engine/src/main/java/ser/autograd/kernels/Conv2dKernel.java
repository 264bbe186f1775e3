package ser.autograd.kernels;

import ser.autograd.reference.ConvShape;
import ser.tensor.VectorSums;
/**
 * Convolution as im2col + GEMM, one image at a time, the batch split across {@link Parallel} slices. Two shapes
 * go other ways: one input channel with a 3×3 kernel ({@link SingleChannelConv}, direct), and stride-1 square
 * kernels with AVX-512 ({@link ImplicitConv}, GEMMs without the unfolding); the forward pass of both takes their
 * scalar twin ({@link ScalarConv}, the same bits) for the first multiply-adds a JVM does.
 *
 * <p>Each image is unfolded in bands of output rows small enough ({@link #BAND_FLOATS}) that the unfolded band
 * stays in the L2 cache while the GEMM packs and reads it; unfolding a whole 64×75 image of 32 channels would
 * write 5.5 MB and read it back from memory twice. The weight gradient sums one partial per slice, then adds the
 * partials in slice order, so results are deterministic for a given thread count.
 */
final class Conv2dKernel {

    private static final int BAND_FLOATS = 1 << 18;

    private Conv2dKernel() {}

    /** Output rows per band: as many as fit {@link #BAND_FLOATS} once unfolded, at least one. */
    private static int bandRows(ConvShape s) {
        return Math.max(1, Math.min(s.outH(), BAND_FLOATS / (s.patch() * s.outW())));
    }

    static void forward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        if (SingleChannelConv.applies(s)) {
            if (ScalarConv.take(s)) ScalarConv.singleChannel(s, x, w, b, y);
            else SingleChannelConv.forward(s, x, w, b, y);
            return;
        }
        if (ImplicitConv.applies(s)) {
            if (ScalarConv.take(s)) ScalarConv.implicit(s, x, w, b, y);
            else ImplicitConv.forward(s, x, w, b, y);
            return;
        }
        int pixels = s.outH() * s.outW(), patch = s.patch(), band = bandRows(s);
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            float[] col = new float[patch * band * s.outW()];
            for (int n = from; n < to; n++) {
                int yAt = n * s.outputSize();
                for (int oy0 = 0; oy0 < s.outH(); oy0 += band) {
                    int oy1 = Math.min(s.outH(), oy0 + band), cols = (oy1 - oy0) * s.outW();
                    Im2col.unfold(s, x, n * s.inputSize(), oy0, oy1, col);
                    // The bias goes in first and the product accumulates onto it, while the band is in cache.
                    for (int co = 0; co < s.cout(); co++) {
                        int at = yAt + co * pixels + oy0 * s.outW();
                        java.util.Arrays.fill(y, at, at + cols, b == null ? 0f : b[co]);
                    }
                    MatMul.gemm(false, false, s.cout(), cols, patch, w, 0, patch, col, 0, cols,
                            y, yAt + oy0 * s.outW(), pixels, true);
                }
            }
        });
    }

    static void backward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db) {
        if (SingleChannelConv.applies(s)) {
            SingleChannelConv.weightGradient(s, x, dy, dw);
            if (dx != null && ImplicitConv.applies(s)) ImplicitConv.inputGradient(s, w, dy, dx);
            else if (dx != null) gradients(s, x, w, dy, dx, null);
        } else if (ImplicitConv.applies(s)) {
            ImplicitConvWeights.run(s, x, dy, dw);
            if (dx != null) ImplicitConv.inputGradient(s, w, dy, dx);
        } else {
            gradients(s, x, w, dy, dx, dw);
        }
        if (db != null) biasGradient(s, dy, db);
    }

    /** {@code db[co] = Σ dy[n, co, …]}, channels split across threads, each summed over the batch in order. */
    private static void biasGradient(ConvShape s, float[] dy, float[] db) {
        int pixels = s.outH() * s.outW();
        Parallel.forEachChunk(s.cout(), (chunk, from, to) -> {
            for (int co = from; co < to; co++) {
                float sum = 0;
                for (int n = 0; n < s.n(); n++) sum += VectorSums.of(dy, n * s.outputSize() + co * pixels, pixels);
                db[co] = sum;
            }
        });
    }

    /** The input gradient (unless {@code dx} is null) and the weight gradient (unless {@code dw} is null) by GEMM. */
    private static void gradients(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw) {
        int pixels = s.outH() * s.outW(), patch = s.patch(), band = bandRows(s);
        float[] wT = dx == null ? null : transpose(w, s.cout(), patch);
        int chunks = Parallel.chunks(s.n());
        float[][] dwPart = new float[chunks][dw == null ? 0 : s.weightSize()];
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            float[] col = new float[patch * band * s.outW()];
            float[] dcol = dx == null ? null : new float[col.length];
            for (int n = from; n < to; n++) {
                int yAt = n * s.outputSize(), xAt = n * s.inputSize();
                if (dx != null) java.util.Arrays.fill(dx, xAt, xAt + s.inputSize(), 0f);
                for (int oy0 = 0; oy0 < s.outH(); oy0 += band) {
                    int oy1 = Math.min(s.outH(), oy0 + band), cols = (oy1 - oy0) * s.outW();
                    int dyAt = yAt + oy0 * s.outW();
                    if (dw != null) {
                        Im2col.unfold(s, x, xAt, oy0, oy1, col);
                        MatMul.gemm(false, true, s.cout(), patch, cols, dy, dyAt, pixels, col, 0, cols,
                                dwPart[chunk], 0, patch, true);
                    }
                    if (dx == null) continue;
                    MatMul.gemm(false, false, patch, cols, s.cout(), wT, 0, s.cout(), dy, dyAt, pixels,
                            dcol, 0, cols, false);
                    Im2col.foldAdd(s, dcol, oy0, oy1, dx, xAt);
                }
            }
        });
        if (dw == null) return;
        System.arraycopy(dwPart[0], 0, dw, 0, dw.length);
        for (int c = 1; c < chunks; c++) {
            for (int i = 0; i < dw.length; i++) dw[i] += dwPart[c][i];
        }
    }

    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }
}
