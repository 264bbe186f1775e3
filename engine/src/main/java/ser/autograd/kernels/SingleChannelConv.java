package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;
import ser.autograd.reference.ConvShape;
import ser.tensor.VectorSums;

/**
 * Stride-1 convolution of a one-channel image — a spectrogram entering the first layer — computed directly
 * instead of as im2col + GEMM. With one input channel the GEMM's depth is the kernel's 9 taps: every C tile is
 * loaded and stored for 9 multiply-adds, and the weight gradient's product has 9 columns, a fifth of a B panel.
 * Here each output row is a sum of the kernel's taps times shifted rows of a zero-padded copy of the image,
 * {@code L} outputs at a time with one vector per tap in registers; the last, partial vector of a row is stored
 * (or, for the gradient, loaded) under a mask.
 *
 * <p>The weight gradient is summed per slice of the batch and the slices' partials added in slice order, as in
 * {@link Conv2dKernel}, so a run is bit-identical to any other with the same thread count.
 */
final class SingleChannelConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private SingleChannelConv() {}

    /** One input channel, stride 1, a 3×3 kernel: the first layer of every Mel CNN here. */
    static boolean applies(ConvShape s) {
        return s.cin() == 1 && s.stride() == 1 && s.kh() == 3 && s.kw() == 3;
    }

    static void forward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            Padded image = new Padded(s);
            for (int n = from; n < to; n++) {
                image.load(x, n * s.inputSize());
                for (int oy = 0; oy < s.outH(); oy++) outputRow(s, image, oy, w, b, y, n * s.outputSize() + oy * s.outW());
            }
        });
    }

    /**
     * Row {@code oy} of every output channel, from {@code y[at]} on with a channel stride of a whole map. The
     * loops over an image live in small methods called thousands of times per batch, which C2 compiles whole;
     * as one long loop nest run once per batch they were left to on-stack replacement, which sometimes kept the
     * vectors boxed and ran several times slower.
     */
    private static void outputRow(ConvShape s, Padded image, int oy, float[] w, float[] b, float[] y, int at) {
        float[] p = image.pixels;
        int pw = image.width, ow = s.outW(), pixels = s.outH() * ow;
        for (int ox = 0; ox < ow; ox += L) {
            // The nine taps' input vectors, named rather than in an array so that they stay in registers.
            int r0 = oy * pw + ox, r1 = r0 + pw, r2 = r1 + pw;
            FloatVector x00 = FloatVector.fromArray(S, p, r0), x01 = FloatVector.fromArray(S, p, r0 + 1), x02 = FloatVector.fromArray(S, p, r0 + 2);
            FloatVector x10 = FloatVector.fromArray(S, p, r1), x11 = FloatVector.fromArray(S, p, r1 + 1), x12 = FloatVector.fromArray(S, p, r1 + 2);
            FloatVector x20 = FloatVector.fromArray(S, p, r2), x21 = FloatVector.fromArray(S, p, r2 + 1), x22 = FloatVector.fromArray(S, p, r2 + 2);
            VectorMask<Float> valid = S.indexInRange(ox, ow);
            for (int co = 0, k = 0; co < s.cout(); co++, k += 9) {
                // Tap by tap onto the bias, the order in which the GEMM path sums them.
                FloatVector acc = FloatVector.broadcast(S, b == null ? 0f : b[co]);
                acc = x00.fma(FloatVector.broadcast(S, w[k]), acc);
                acc = x01.fma(FloatVector.broadcast(S, w[k + 1]), acc);
                acc = x02.fma(FloatVector.broadcast(S, w[k + 2]), acc);
                acc = x10.fma(FloatVector.broadcast(S, w[k + 3]), acc);
                acc = x11.fma(FloatVector.broadcast(S, w[k + 4]), acc);
                acc = x12.fma(FloatVector.broadcast(S, w[k + 5]), acc);
                acc = x20.fma(FloatVector.broadcast(S, w[k + 6]), acc);
                acc = x21.fma(FloatVector.broadcast(S, w[k + 7]), acc);
                acc = x22.fma(FloatVector.broadcast(S, w[k + 8]), acc);
                acc.intoArray(y, at + co * pixels + ox, valid);
            }
        }
    }

    /** {@code dw[co, i, j] = Σ dy[n, co, oy, ox] · x[n, oy + i − pad, ox + j − pad]} over the batch. */
    static void weightGradient(ConvShape s, float[] x, float[] dy, float[] dw) {
        WeightSums.total(WeightGradientSums.overBatch(s, x, dy, () -> new WeightSums(s)), dw);
    }

    /** One thread's share of the weight gradient, image by image. */
    static final class WeightSums implements WeightGradientSums {
        private final ConvShape s;
        private final Padded image;
        private final float[] sums;

        WeightSums(ConvShape s) {
            this.s = s;
            this.image = new Padded(s);
            this.sums = new float[s.weightSize()];
        }

        @Override
        public void add(float[] x, int xAt, float[] dy, int dyAt) {
            image.load(x, xAt);
            int pixels = s.outH() * s.outW();
            for (int co = 0; co < s.cout(); co++) channelGradient(s, image, dy, dyAt + co * pixels, sums, co * 9);
        }

        /** {@code dw} = the slices' sums added in slice order. */
        static void total(WeightGradientSums[] slices, float[] dw) {
            System.arraycopy(((WeightSums) slices[0]).sums, 0, dw, 0, dw.length);
            for (int c = 1; c < slices.length; c++) {
                float[] part = ((WeightSums) slices[c]).sums;
                for (int i = 0; i < dw.length; i++) dw[i] += part[i];
            }
        }
    }

    /** Adds one image's share of one channel's nine weight gradients to {@code sums[k ..]}; its map is {@code dy[at]}. */
    private static void channelGradient(ConvShape s, Padded image, float[] dy, int at, float[] sums, int k) {
        float[] p = image.pixels;
        int pw = image.width, ow = s.outW();
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        for (int oy = 0; oy < s.outH(); oy++) {
            for (int ox = 0; ox < ow; ox += L) {
                // Lanes past the row's end load as zeros and add nothing.
                FloatVector g = FloatVector.fromArray(S, dy, at + oy * ow + ox, S.indexInRange(ox, ow));
                int r0 = oy * pw + ox, r1 = r0 + pw, r2 = r1 + pw;
                a00 = FloatVector.fromArray(S, p, r0).fma(g, a00);
                a01 = FloatVector.fromArray(S, p, r0 + 1).fma(g, a01);
                a02 = FloatVector.fromArray(S, p, r0 + 2).fma(g, a02);
                a10 = FloatVector.fromArray(S, p, r1).fma(g, a10);
                a11 = FloatVector.fromArray(S, p, r1 + 1).fma(g, a11);
                a12 = FloatVector.fromArray(S, p, r1 + 2).fma(g, a12);
                a20 = FloatVector.fromArray(S, p, r2).fma(g, a20);
                a21 = FloatVector.fromArray(S, p, r2 + 1).fma(g, a21);
                a22 = FloatVector.fromArray(S, p, r2 + 2).fma(g, a22);
            }
        }
        sums[k] += VectorSums.lanes(a00);
        sums[k + 1] += VectorSums.lanes(a01);
        sums[k + 2] += VectorSums.lanes(a02);
        sums[k + 3] += VectorSums.lanes(a10);
        sums[k + 4] += VectorSums.lanes(a11);
        sums[k + 5] += VectorSums.lanes(a12);
        sums[k + 6] += VectorSums.lanes(a20);
        sums[k + 7] += VectorSums.lanes(a21);
        sums[k + 8] += VectorSums.lanes(a22);
    }

    /**
     * One image with {@code pad} zeros on every side and a vector's worth of zeros more on the right, so that
     * every tap of every output vector, the last partial one included, is one unmasked load.
     */
    private static final class Padded {
        final ConvShape s;
        final int width;
        final float[] pixels;

        Padded(ConvShape s) {
            this.s = s;
            this.width = s.w() + 2 * s.pad() + L;
            this.pixels = new float[(s.h() + 2 * s.pad()) * width];
        }

        void load(float[] x, int at) {
            for (int iy = 0; iy < s.h(); iy++) {
                System.arraycopy(x, at + iy * s.w(), pixels, (iy + s.pad()) * width + s.pad(), s.w());
            }
        }
    }
}
