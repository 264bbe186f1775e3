package ser.autograd.kernels;

import static ser.autograd.kernels.ImplicitConv.KC;
import static ser.autograd.kernels.ImplicitConv.load;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.autograd.reference.ConvShape;

/**
 * The weight gradient of {@link ImplicitConv}'s convolutions, {@code dw[co, k] = Σ_n Σ_v dy[n, co, v] · B[k, v]}
 * over the same virtual columns, with the roles turned round: B's rows are the left operand, read in place from
 * the padded image ({@link #GMR} of them at a time, one scalar each per step), and dy, transposed to
 * {@code [v, co]} in {@link #GNR}-wide panels (junk columns zero), the right. The sum runs along the rows of the
 * padded image, and no unfolded input is ever written. Panels of two vectors fit the usual 32, 64 or 128 channels
 * without idle lanes; 12 rows × 2 vectors make 24 accumulators.
 */
final class ImplicitConvWeights {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The tile: {@code GMR} rows of B by {@code GNR} channels. */
    static final int GMR = 12, GNR = 2 * L;

    private ImplicitConvWeights() {}

    /** {@code dw} over the batch, the images split across threads. */
    static void run(ConvShape s, float[] x, float[] dy, float[] dw) {
        WeightSums.total(WeightGradientSums.overBatch(s, x, dy, () -> new WeightSums(s)), dw);
    }

    /** One thread's share of the weight gradient, image by image, as {@code [K, cout]} sums. */
    static final class WeightSums implements WeightGradientSums {
        private final ConvShape s;
        private final ImplicitConv.Image image;
        private final int rows, panels;
        private final int[] rowAt, lanes;
        private final float[] dyT, sums;

        WeightSums(ConvShape s) {
            this.s = s;
            image = new ImplicitConv.Image(s);
            rows = (s.patch() + GMR - 1) / GMR * GMR;
            panels = (s.cout() + GNR - 1) / GNR;
            // Row offsets for whole tiles: rows past K read the run of zeros at the end of the padded image.
            rowAt = java.util.Arrays.copyOf(image.rowAt, rows);
            java.util.Arrays.fill(rowAt, s.patch(), rows, image.zeros);
            dyT = new float[panels * GNR * image.ldc];
            lanes = new int[GNR];
            for (int j = 0; j < GNR; j++) lanes[j] = j * s.outH() * s.outW();
            sums = new float[rows * panels * GNR];
        }

        @Override
        public void add(float[] x, int xAt, float[] dy, int dyAt) {
            image.load(x, xAt);
            transposeGradient(s, image, dy, dyAt, lanes, dyT);
            for (int v0 = 0; v0 < image.columns; v0 += KC) {
                int kc = Math.min(KC, image.columns - v0);
                for (int q = 0; q < panels; q++) {
                    int bo = q * GNR * image.ldc + v0 * GNR;
                    for (int r = 0; r < rows; r += GMR) {
                        rowsTile(kc, image.padded, rowAt, r, v0, dyT, bo, sums, (r * panels + q) * GNR, panels * GNR);
                    }
                }
            }
        }

        /** {@code dw[co, k]} from the slices' {@code [k, co]} sums, added in slice order. */
        static void total(WeightGradientSums[] slices, float[] dw) {
            WeightSums first = (WeightSums) slices[0];
            int depth = first.s.patch(), width = first.panels * GNR;
            for (int co = 0; co < first.s.cout(); co++) {
                for (int k = 0; k < depth; k++) {
                    float sum = first.sums[k * width + co];
                    for (int c = 1; c < slices.length; c++) sum += ((WeightSums) slices[c]).sums[k * width + co];
                    dw[co * depth + k] = sum;
                }
            }
        }
    }

    /**
     * {@code dyT[q·GNR·ldc + v·GNR + j] = dy[at + (q·GNR + j)·pixels + oy·ow + ox]} for virtual column
     * {@code v = oy·wp + ox}; zero for junk columns and channels past {@code cout}. Gathers a vector of channels
     * per column.
     */
    private static void transposeGradient(ConvShape s, ImplicitConv.Image image, float[] dy, int at, int[] lanes, float[] dyT) {
        int panels = (s.cout() + GNR - 1) / GNR, ow = s.outW();
        java.util.Arrays.fill(dyT, 0f);
        for (int q = 0; q < panels; q++) {
            int channels = Math.min(GNR, s.cout() - q * GNR), base = at + q * GNR * s.outH() * ow;
            for (int oy = 0; oy < s.outH(); oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    int to = q * GNR * image.ldc + (oy * image.wp + ox) * GNR, src = base + oy * ow + ox;
                    for (int j = 0; j < GNR; j += L) {
                        if (j + L <= channels) {
                            FloatVector.fromArray(S, dy, src, lanes, j).intoArray(dyT, to + j);
                        } else {
                            for (int lane = j; lane < channels; lane++) dyT[to + lane] = dy[src + lanes[lane]];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code c[co + r·ldc + j] += Σ_k a[rowAt[r0 + r] + v + k] · b[bo + k·GNR + j]} for {@link #GMR} rows and
     * {@link #GNR} columns: the left operand's rows read in place, one scalar per row and step.
     */
    private static void rowsTile(int kc, float[] a, int[] rowAt, int r0, int v, float[] b, int bo, float[] c, int co, int ldc) {
        int a0 = rowAt[r0] + v, a1 = rowAt[r0 + 1] + v, a2 = rowAt[r0 + 2] + v, a3 = rowAt[r0 + 3] + v;
        int a4 = rowAt[r0 + 4] + v, a5 = rowAt[r0 + 5] + v, a6 = rowAt[r0 + 6] + v, a7 = rowAt[r0 + 7] + v;
        int a8 = rowAt[r0 + 8] + v, a9 = rowAt[r0 + 9] + v, a10 = rowAt[r0 + 10] + v, a11 = rowAt[r0 + 11] + v;
        FloatVector c00 = load(c, co), c01 = load(c, co + L), c10 = load(c, co + ldc), c11 = load(c, co + ldc + L);
        FloatVector c20 = load(c, co + 2 * ldc), c21 = load(c, co + 2 * ldc + L), c30 = load(c, co + 3 * ldc), c31 = load(c, co + 3 * ldc + L);
        FloatVector c40 = load(c, co + 4 * ldc), c41 = load(c, co + 4 * ldc + L), c50 = load(c, co + 5 * ldc), c51 = load(c, co + 5 * ldc + L);
        FloatVector c60 = load(c, co + 6 * ldc), c61 = load(c, co + 6 * ldc + L), c70 = load(c, co + 7 * ldc), c71 = load(c, co + 7 * ldc + L);
        FloatVector c80 = load(c, co + 8 * ldc), c81 = load(c, co + 8 * ldc + L), c90 = load(c, co + 9 * ldc), c91 = load(c, co + 9 * ldc + L);
        FloatVector ca0 = load(c, co + 10 * ldc), ca1 = load(c, co + 10 * ldc + L), cb0 = load(c, co + 11 * ldc), cb1 = load(c, co + 11 * ldc + L);
        for (int k = 0; k < kc; k++) {
            int at = bo + k * GNR;
            FloatVector b0 = load(b, at), b1 = load(b, at + L);
            FloatVector ar = FloatVector.broadcast(S, a[a0 + k]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(S, a[a1 + k]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(S, a[a2 + k]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(S, a[a3 + k]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(S, a[a4 + k]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(S, a[a5 + k]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51);
            ar = FloatVector.broadcast(S, a[a6 + k]);
            c60 = ar.fma(b0, c60); c61 = ar.fma(b1, c61);
            ar = FloatVector.broadcast(S, a[a7 + k]);
            c70 = ar.fma(b0, c70); c71 = ar.fma(b1, c71);
            ar = FloatVector.broadcast(S, a[a8 + k]);
            c80 = ar.fma(b0, c80); c81 = ar.fma(b1, c81);
            ar = FloatVector.broadcast(S, a[a9 + k]);
            c90 = ar.fma(b0, c90); c91 = ar.fma(b1, c91);
            ar = FloatVector.broadcast(S, a[a10 + k]);
            ca0 = ar.fma(b0, ca0); ca1 = ar.fma(b1, ca1);
            ar = FloatVector.broadcast(S, a[a11 + k]);
            cb0 = ar.fma(b0, cb0); cb1 = ar.fma(b1, cb1);
        }
        c00.intoArray(c, co); c01.intoArray(c, co + L); c10.intoArray(c, co + ldc); c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc); c21.intoArray(c, co + 2 * ldc + L); c30.intoArray(c, co + 3 * ldc); c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc); c41.intoArray(c, co + 4 * ldc + L); c50.intoArray(c, co + 5 * ldc); c51.intoArray(c, co + 5 * ldc + L);
        c60.intoArray(c, co + 6 * ldc); c61.intoArray(c, co + 6 * ldc + L); c70.intoArray(c, co + 7 * ldc); c71.intoArray(c, co + 7 * ldc + L);
        c80.intoArray(c, co + 8 * ldc); c81.intoArray(c, co + 8 * ldc + L); c90.intoArray(c, co + 9 * ldc); c91.intoArray(c, co + 9 * ldc + L);
        ca0.intoArray(c, co + 10 * ldc); ca1.intoArray(c, co + 10 * ldc + L); cb0.intoArray(c, co + 11 * ldc); cb1.intoArray(c, co + 11 * ldc + L);
    }

}
