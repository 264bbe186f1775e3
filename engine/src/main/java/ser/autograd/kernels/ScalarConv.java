package ser.autograd.kernels;

import ser.autograd.reference.ConvShape;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Scalar twins of the two direct forward convolutions, {@link SingleChannelConv#forward} and
 * {@link ImplicitConv#forward}, for the small first work of a JVM (one {@code ser predict}): until C2 compiles
 * them, the Vector API's kernels run through boxed fallbacks, and C2's compilation of them is long, which costs a
 * short command more than the SIMD returns (as for {@code ser.dsp.LogMel}'s scalar twin).
 *
 * <p>Same bits: every lane of those kernels sums one output element on its own, the bias first and then one fused
 * multiply-add per tap in a fixed order (the 3×3 taps row by row; the implicit GEMM's {@code k = (ci, i, j)}
 * ascending, across its {@code KC} steps too), and {@link Math#fma} here sums each element in that same order.
 * Which thread computes an element does not change it, so the work is split over the pool by output channels.
 *
 * <p>The first {@link #SCALAR_MACS} multiply-adds a JVM's forward convolutions do (2^30, about six clips of the
 * seed's CNN; whole calls only; {@code -Dser.conv.scalarMacs=N} sets it) take this path; after that (training,
 * long runs) the vector kernels.
 */
final class ScalarConv {

    static final long SCALAR_MACS = Long.getLong("ser.conv.scalarMacs", 1L << 30);
    private static final AtomicLong BUDGET = new AtomicLong(SCALAR_MACS);

    /** Elements the inference-mode batch norm, pooling and ReLU take on their scalar twin (2^24; about 15 clips). */
    static final long SCALAR_ELEMENTS = Long.getLong("ser.conv.scalarElements", 1L << 24);
    private static final AtomicLong ELEMENT_BUDGET = new AtomicLong(SCALAR_ELEMENTS);

    private ScalarConv() {}

    /** Takes {@code elements} from the JVM's budget for the scalar batch norm, pooling and ReLU when they fit. */
    static boolean takeElements(long elements) {
        for (long left = ELEMENT_BUDGET.get(); elements <= left; left = ELEMENT_BUDGET.get()) {
            if (ELEMENT_BUDGET.compareAndSet(left, left - elements)) return true;
        }
        return false;
    }

    /** Takes the call's multiply-adds from the JVM's budget when they fit in what is left. */
    static boolean take(ConvShape s) {
        long macs = (long) s.n() * s.cout() * s.outH() * s.outW() * s.patch();
        for (long left = BUDGET.get(); macs <= left; left = BUDGET.get()) {
            if (BUDGET.compareAndSet(left, left - macs)) return true;
        }
        return false;
    }

    /** {@link SingleChannelConv#forward}'s values: one input channel, stride 1, a 3×3 kernel. */
    static void singleChannel(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        int pad = s.pad(), pw = s.w() + 2 * pad, ph = s.h() + 2 * pad, oh = s.outH(), ow = s.outW();
        int pixels = oh * ow, cout = s.cout();
        Parallel.forEachChunk(s.n() * cout, (chunk, from, to) -> {
            float[] p = new float[ph * pw + 2];
            int loaded = -1;
            for (int item = from; item < to; item++) {
                int n = item / cout, co = item % cout;
                if (n != loaded) {
                    for (int iy = 0; iy < s.h(); iy++) {
                        System.arraycopy(x, n * s.inputSize() + iy * s.w(), p, (iy + pad) * pw + pad, s.w());
                    }
                    loaded = n;
                }
                int k = co * 9, at = n * s.outputSize() + co * pixels;
                float w0 = w[k], w1 = w[k + 1], w2 = w[k + 2], w3 = w[k + 3], w4 = w[k + 4], w5 = w[k + 5];
                float w6 = w[k + 6], w7 = w[k + 7], w8 = w[k + 8], bias = b == null ? 0f : b[co];
                for (int oy = 0; oy < oh; oy++) {
                    int r0 = oy * pw;
                    for (int ox = 0; ox < ow; ox++) {
                        int a = r0 + ox, c = a + pw, d = c + pw;
                        float acc = Math.fma(p[a], w0, bias);
                        acc = Math.fma(p[a + 1], w1, acc);
                        acc = Math.fma(p[a + 2], w2, acc);
                        acc = Math.fma(p[c], w3, acc);
                        acc = Math.fma(p[c + 1], w4, acc);
                        acc = Math.fma(p[c + 2], w5, acc);
                        acc = Math.fma(p[d], w6, acc);
                        acc = Math.fma(p[d + 1], w7, acc);
                        acc = Math.fma(p[d + 2], w8, acc);
                        y[at + oy * ow + ox] = acc;
                    }
                }
            }
        });
    }

    /** Output channels per task of {@link #implicit}: four, so that each input load feeds four sums. */
    private static final int GROUP = 4;

    /** {@link ImplicitConv#forward}'s values: stride 1, a square kernel. */
    static void implicit(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        int pad = s.pad(), wp = s.w() + 2 * pad, plane = (s.h() + 2 * pad) * wp, oh = s.outH(), ow = s.outW();
        int depth = s.patch(), cout = s.cout(), kh = s.kh(), kw = s.kw(), pixels = oh * ow;
        int[] rowAt = new int[depth];
        for (int ci = 0, k = 0; ci < s.cin(); ci++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, k++) rowAt[k] = ci * plane + i * wp + j;
            }
        }
        int groups = (cout + GROUP - 1) / GROUP;
        Parallel.forEachChunk(s.n() * groups, (chunk, from, to) -> {
            // Four columns a step: up to three past the last real one read the zeros after the last plane.
            float[] p = new float[s.cin() * plane + 4];
            int loaded = -1;
            for (int item = from; item < to; item++) {
                int n = item / groups, co = (item % groups) * GROUP;
                if (n != loaded) {
                    for (int ci = 0; ci < s.cin(); ci++) {
                        for (int iy = 0; iy < s.h(); iy++) {
                            System.arraycopy(x, n * s.inputSize() + (ci * s.h() + iy) * s.w(), p,
                                    ci * plane + (iy + pad) * wp + pad, s.w());
                        }
                    }
                    loaded = n;
                }
                int at = n * s.outputSize();
                if (co + 3 < cout) {
                    channelQuad(p, rowAt, w, b, co, depth, oh, ow, wp, y, at + co * pixels, pixels);
                } else {
                    for (int c = co; c < cout; c++) channel(p, rowAt, w, b, c, depth, oh, ow, wp, y, at + c * pixels);
                }
            }
        });
    }

    /** Channels {@code co} to {@code co + 3}, four columns at a time: sixteen sums in registers. */
    private static void channelQuad(float[] p, int[] rowAt, float[] w, float[] b, int co, int depth, int oh, int ow,
                                    int wp, float[] y, int at, int pixels) {
        int w0 = co * depth, w1 = w0 + depth, w2 = w1 + depth, w3 = w2 + depth;
        float bias0 = b == null ? 0f : b[co], bias1 = b == null ? 0f : b[co + 1];
        float bias2 = b == null ? 0f : b[co + 2], bias3 = b == null ? 0f : b[co + 3];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox += 4) {
                int v = oy * wp + ox;
                float a0 = bias0, a1 = bias0, a2 = bias0, a3 = bias0;
                float b0 = bias1, b1 = bias1, b2 = bias1, b3 = bias1;
                float c0 = bias2, c1 = bias2, c2 = bias2, c3 = bias2;
                float d0 = bias3, d1 = bias3, d2 = bias3, d3 = bias3;
                for (int k = 0; k < depth; k++) {
                    int o = rowAt[k] + v;
                    float x0 = p[o], x1 = p[o + 1], x2 = p[o + 2], x3 = p[o + 3];
                    float u = w[w0 + k];
                    a0 = Math.fma(u, x0, a0); a1 = Math.fma(u, x1, a1); a2 = Math.fma(u, x2, a2); a3 = Math.fma(u, x3, a3);
                    u = w[w1 + k];
                    b0 = Math.fma(u, x0, b0); b1 = Math.fma(u, x1, b1); b2 = Math.fma(u, x2, b2); b3 = Math.fma(u, x3, b3);
                    u = w[w2 + k];
                    c0 = Math.fma(u, x0, c0); c1 = Math.fma(u, x1, c1); c2 = Math.fma(u, x2, c2); c3 = Math.fma(u, x3, c3);
                    u = w[w3 + k];
                    d0 = Math.fma(u, x0, d0); d1 = Math.fma(u, x1, d1); d2 = Math.fma(u, x2, d2); d3 = Math.fma(u, x3, d3);
                }
                int o = at + oy * ow + ox, left = ow - ox;
                y[o] = a0; y[o + pixels] = b0; y[o + 2 * pixels] = c0; y[o + 3 * pixels] = d0;
                if (left > 1) { y[o + 1] = a1; y[o + pixels + 1] = b1; y[o + 2 * pixels + 1] = c1; y[o + 3 * pixels + 1] = d1; }
                if (left > 2) { y[o + 2] = a2; y[o + pixels + 2] = b2; y[o + 2 * pixels + 2] = c2; y[o + 3 * pixels + 2] = d2; }
                if (left > 3) { y[o + 3] = a3; y[o + pixels + 3] = b3; y[o + 2 * pixels + 3] = c3; y[o + 3 * pixels + 3] = d3; }
            }
        }
    }

    /** Channel {@code co} alone (the last of a count that is not a multiple of four). */
    private static void channel(float[] p, int[] rowAt, float[] w, float[] b, int co, int depth, int oh, int ow,
                                int wp, float[] y, int at) {
        int wa = co * depth;
        float bias = b == null ? 0f : b[co];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int v = oy * wp + ox;
                float acc = bias;
                for (int k = 0; k < depth; k++) acc = Math.fma(w[wa + k], p[rowAt[k] + v], acc);
                y[at + oy * ow + ox] = acc;
            }
        }
    }
}
