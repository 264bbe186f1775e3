package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.autograd.reference.ConvShape;

/**
 * Stride-1 convolution as an implicit GEMM: {@code C[co, v] = Σ_k W[co, k] · B[k, v]} with B, the unfolded input,
 * never built. In a zero-padded copy of the image whose rows are {@code wp = w + 2·pad} wide, output pixel
 * {@code (oy, ox)} is "virtual column" {@code v = oy·wp + ox}, and row {@code k = (ci, i, j)} of B is the padded
 * image read from offset {@code ci·plane + i·wp + j} on: every B row is a contiguous run of the padded input, so
 * the micro-kernel loads B straight from it through a table of row offsets. Im2col would write K times the image
 * (288 or 576 floats per pixel here) and the GEMM would pack it again, a copy per multiply-add for as few as 64
 * output channels; here nothing is copied but the image into its padding, and C out of its virtual columns
 * ({@code wp − ow} of every {@code wp} are junk computed in the padding and dropped, 3 % for the Mel CNN).
 *
 * <p>Blocking follows {@code ser.tensor.Gemm}: W is packed once into {@link #MR}-row panels; for each
 * {@link #NR}-wide strip of virtual columns and each {@link #KC}-deep step of K, the strip's B rows (at most
 * {@code KC × NR}, 36 KB) stay in L1 while every W panel sweeps them. Each element of C is summed in one fixed
 * order whatever the thread count: images are split across threads and nothing is reduced across them.
 *
 * <p>The input gradient of a stride-1 convolution is itself one: {@code dx = conv(dy, W')} with {@code W'} the
 * kernel flipped and its channel axes swapped, padded by {@code k − 1 − pad} ({@link #inputGradient}).
 * The weight gradient is {@link ImplicitConvWeights}. The 8 × 3-vector kernel needs AVX-512's 32 registers;
 * narrower vectors keep to im2col ({@link #applies}).
 */
final class ImplicitConv {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 8, NR = 3 * L, KC = 192;

    private ImplicitConv() {}

    /** Stride 1, a square kernel, padding at most {@code k − 1} (so that the gradient's, {@code k − 1 − pad}, is ≥ 0). */
    static boolean applies(ConvShape s) {
        return S.vectorBitSize() >= 512 && s.stride() == 1 && s.kh() == s.kw() && s.pad() <= s.kh() - 1;
    }

    /** {@code y[n, cout, oh, ow] = conv(x, w) + b}, every element written. */
    static void forward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        float[] panels = packWeights(w, s.cout(), s.patch());
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            Image image = new Image(s);
            for (int n = from; n < to; n++) {
                image.load(x, n * s.inputSize());
                image.convolve(panels, b);
                image.store(y, n * s.outputSize());
            }
        });
    }

    /** {@code dx[n, cin, h, w]} for the upstream gradient {@code dy[n, cout, oh, ow]}, every element written. */
    static void inputGradient(ConvShape s, float[] w, float[] dy, float[] dx) {
        InputGradient gradient = new InputGradient(s, w);
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            InputGradient.Worker worker = gradient.worker();
            for (int n = from; n < to; n++) worker.image(dy, n * s.outputSize(), dx, n * s.inputSize());
        });
    }

    /** The input gradient as the forward convolution of dy with {@code W'}, shared by the threads' workers. */
    static final class InputGradient {
        private final ConvShape back;
        private final float[] panels;

        InputGradient(ConvShape s, float[] w) {
            int k = s.kh(), taps = k * k;
            // W'[ci, co, i, j] = W[co, ci, k−1−i, k−1−j]
            float[] flipped = new float[w.length];
            for (int co = 0; co < s.cout(); co++) {
                for (int ci = 0; ci < s.cin(); ci++) {
                    for (int t = 0; t < taps; t++) {
                        flipped[(ci * s.cout() + co) * taps + t] = w[(co * s.cin() + ci) * taps + taps - 1 - t];
                    }
                }
            }
            back = new ConvShape(s.n(), s.cout(), s.outH(), s.outW(), s.cin(), k, k, 1, k - 1 - s.pad());
            panels = packWeights(flipped, back.cout(), back.patch());
        }

        /** One thread's working set. */
        Worker worker() {
            return new Worker(new Image(back));
        }

        final class Worker {
            private final Image image;

            private Worker(Image image) {
                this.image = image;
            }

            /** {@code dx[dxAt …]} of one image from its {@code dy[dyAt …]}. */
            void image(float[] dy, int dyAt, float[] dx, int dxAt) {
                image.load(dy, dyAt);
                image.convolve(panels, null);
                image.store(dx, dxAt);
            }
        }
    }

    /** {@code panels[q·MR·K + k·MR + r] = w[(q·MR + r)·K + k]}, rows past {@code m} zero. */
    private static float[] packWeights(float[] w, int m, int k) {
        int blocks = (m + MR - 1) / MR;
        float[] panels = new float[blocks * MR * k];
        for (int row = 0; row < m; row++) {
            int q = row / MR, r = row % MR;
            for (int p = 0; p < k; p++) panels[q * MR * k + p * MR + r] = w[row * k + p];
        }
        return panels;
    }

    /** One image in its padding, the B row offsets into it, and C in virtual columns: a thread's working set. */
    static final class Image {
        final ConvShape s;
        final int wp, plane, columns, strips, ldc, depth, zeros;
        final float[] padded, c;
        final int[] rowAt;

        Image(ConvShape s) {
            this.s = s;
            wp = s.w() + 2 * s.pad();
            plane = (s.h() + 2 * s.pad()) * wp;
            columns = s.outH() * wp;
            strips = (columns + NR - 1) / NR;
            ldc = strips * NR;
            depth = s.patch();
            rowAt = new int[depth];
            for (int ci = 0, k = 0; ci < s.cin(); ci++) {
                for (int i = 0; i < s.kh(); i++) {
                    for (int j = 0; j < s.kw(); j++, k++) rowAt[k] = ci * plane + i * wp + j;
                }
            }
            // The last strip reads up to NR − 1 columns past the last row: zeros after the last plane. After
            // those, one more run of zeros for the weight gradient's rows past K to read.
            zeros = rowAt[depth - 1] + ldc;
            padded = new float[zeros + ldc];
            c = new float[(s.cout() + MR - 1) / MR * MR * ldc];
        }

        /** Copies image {@code x[at …]} into the padding's interior; the border stays zero from construction. */
        void load(float[] x, int at) {
            for (int ci = 0; ci < s.cin(); ci++) {
                for (int iy = 0; iy < s.h(); iy++) {
                    System.arraycopy(x, at + (ci * s.h() + iy) * s.w(), padded,
                            ci * plane + (iy + s.pad()) * wp + s.pad(), s.w());
                }
            }
        }

        void convolve(float[] panels, float[] bias) {
            int mBlocks = (s.cout() + MR - 1) / MR;
            for (int q = 0; q < strips; q++) {
                int v = q * NR;
                for (int row = 0; row < mBlocks * MR; row++) {
                    java.util.Arrays.fill(c, row * ldc + v, row * ldc + v + NR, bias == null || row >= s.cout() ? 0f : bias[row]);
                }
                for (int k0 = 0; k0 < depth; k0 += KC) {
                    int kc = Math.min(KC, depth - k0);
                    for (int t = 0; t < mBlocks; t++) {
                        tile(kc, panels, t * MR * depth + k0 * MR, padded, rowAt, k0, v, c, t * MR * ldc + v, ldc);
                    }
                }
            }
        }

        /** The real columns of C into {@code y[at …]} as {@code [cout, oh, ow]}. */
        void store(float[] y, int at) {
            for (int co = 0; co < s.cout(); co++) {
                for (int oy = 0; oy < s.outH(); oy++) {
                    System.arraycopy(c, co * ldc + oy * wp, y, at + (co * s.outH() + oy) * s.outW(), s.outW());
                }
            }
        }
    }

    /**
     * {@code c[co + r·ldc + j] += Σ_k ap[ao + k·MR + r] · b[rowAt[k0 + k] + v + j]} for a tile of {@code MR} rows
     * and {@code NR} columns: {@code ser.tensor.GemmKernel}'s 8 × 3 kernel, with B rows found through the offsets.
     */
    private static void tile(int kc, float[] ap, int ao, float[] b, int[] rowAt, int k0, int v, float[] c, int co, int ldc) {
        FloatVector c00 = load(c, co), c01 = load(c, co + L), c02 = load(c, co + 2 * L);
        FloatVector c10 = load(c, co + ldc), c11 = load(c, co + ldc + L), c12 = load(c, co + ldc + 2 * L);
        FloatVector c20 = load(c, co + 2 * ldc), c21 = load(c, co + 2 * ldc + L), c22 = load(c, co + 2 * ldc + 2 * L);
        FloatVector c30 = load(c, co + 3 * ldc), c31 = load(c, co + 3 * ldc + L), c32 = load(c, co + 3 * ldc + 2 * L);
        FloatVector c40 = load(c, co + 4 * ldc), c41 = load(c, co + 4 * ldc + L), c42 = load(c, co + 4 * ldc + 2 * L);
        FloatVector c50 = load(c, co + 5 * ldc), c51 = load(c, co + 5 * ldc + L), c52 = load(c, co + 5 * ldc + 2 * L);
        FloatVector c60 = load(c, co + 6 * ldc), c61 = load(c, co + 6 * ldc + L), c62 = load(c, co + 6 * ldc + 2 * L);
        FloatVector c70 = load(c, co + 7 * ldc), c71 = load(c, co + 7 * ldc + L), c72 = load(c, co + 7 * ldc + 2 * L);
        for (int k = 0; k < kc; k++) {
            int a = ao + k * MR, at = rowAt[k0 + k] + v;
            FloatVector b0 = load(b, at), b1 = load(b, at + L), b2 = load(b, at + 2 * L);
            FloatVector ar = FloatVector.broadcast(S, ap[a]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01); c02 = ar.fma(b2, c02);
            ar = FloatVector.broadcast(S, ap[a + 1]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11); c12 = ar.fma(b2, c12);
            ar = FloatVector.broadcast(S, ap[a + 2]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21); c22 = ar.fma(b2, c22);
            ar = FloatVector.broadcast(S, ap[a + 3]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31); c32 = ar.fma(b2, c32);
            ar = FloatVector.broadcast(S, ap[a + 4]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41); c42 = ar.fma(b2, c42);
            ar = FloatVector.broadcast(S, ap[a + 5]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51); c52 = ar.fma(b2, c52);
            ar = FloatVector.broadcast(S, ap[a + 6]);
            c60 = ar.fma(b0, c60); c61 = ar.fma(b1, c61); c62 = ar.fma(b2, c62);
            ar = FloatVector.broadcast(S, ap[a + 7]);
            c70 = ar.fma(b0, c70); c71 = ar.fma(b1, c71); c72 = ar.fma(b2, c72);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L); c02.intoArray(c, co + 2 * L);
        c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L); c12.intoArray(c, co + ldc + 2 * L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L); c22.intoArray(c, co + 2 * ldc + 2 * L);
        c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L); c32.intoArray(c, co + 3 * ldc + 2 * L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L); c42.intoArray(c, co + 4 * ldc + 2 * L);
        c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L); c52.intoArray(c, co + 5 * ldc + 2 * L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L); c62.intoArray(c, co + 6 * ldc + 2 * L);
        c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L); c72.intoArray(c, co + 7 * ldc + 2 * L);
    }

    static FloatVector load(float[] a, int at) {
        return FloatVector.fromArray(S, a, at);
    }
}
