package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: one {@code MR × NR} tile of C from an {@code MR}-row panel of packed A and an
 * {@code NR}-column panel of packed B, with all {@code MR · NR} partial sums held in vector registers. Per step of
 * k it loads {@code NR / L} vectors of B, broadcasts {@code MR} scalars of A, and issues one FMA per accumulator.
 *
 * <p>The tile shape follows the register file. AVX-512 (32 registers) gets {@code 8 × 3} vectors: 24
 * accumulators, 3 B vectors and a broadcast make 28 registers, and 11 loads feed 24 FMAs (219 GFLOP/s in L1 on a
 * Sapphire Rapids core whose peak is 234). Narrower SIMD (AVX2's 16 registers) gets {@code 6 × 2}: 12
 * accumulators + 3 = 15 registers. Either way there are at least 12 independent FMA chains, enough to cover the
 * FMA latency on two ports.
 */
final class GemmKernel {

    private GemmKernel() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    /** Whether the CPU has AVX-512's 32 vector registers: the Vector API does not say, the vector width does. */
    private static final boolean WIDE = SPECIES.vectorBitSize() >= 512;
    static final int MR = WIDE ? 8 : 6;
    static final int NR = (WIDE ? 3 : 2) * L;
    /** A row of zeros to start a tile from: read with a row stride of 0. */
    static final float[] ZEROS = new float[NR];

    /**
     * {@code out[oo + r·ldo + j] = init[io + r·ldi + j] + Σ_k a[k, r] · b[k, j]} for the tile's {@code MR} rows and
     * {@code NR} columns, where packed A holds {@code ap[ao + k·MR + r]} and packed B {@code bp[bo + k·NR + j]}.
     * {@code init} and {@code out} may be the same tile of C (accumulating straight into it), or {@link #ZEROS}
     * with {@code ldi = 0} and any tile.
     *
     * <p>The kernels start from loads and end in plain stores on purpose. With the {@code alpha}/{@code beta}
     * update (and its {@code beta == 0} branch) in the same method, C2 kept the accumulators boxed through the loop
     * and the kernel ran at 14 instead of 183 GFLOP/s (JDK 25, AVX-512); {@link #update} does that step separately
     * where it is needed ({@code alpha != 1}, or {@code beta} other than 0 and 1).
     */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] init, int io, int ldi,
                     float[] out, int oo, int ldo) {
        if (WIDE) tile8x3(kc, ap, ao, bp, bo, init, io, ldi, out, oo, ldo);
        else tile6x2(kc, ap, ao, bp, bo, init, io, ldi, out, oo, ldo);
    }

    /**
     * As {@link #tile}, with A read in place: row r of the tile is {@code ap[ao + r·lda + k]}. For products with a
     * few B panels, where packing A would copy each element to read it once or twice; A's rows come from L1 or L2
     * either way (rows 4 KB apart share cache sets, so wide products keep packing).
     */
    static void tileRows(int kc, float[] ap, int ao, int lda, float[] bp, int bo, float[] init, int io, int ldi,
                         float[] out, int oo, int ldo) {
        if (WIDE) rows8x3(kc, ap, ao, lda, bp, bo, init, io, ldi, out, oo, ldo);
        else rows6x2(kc, ap, ao, lda, bp, bo, init, io, ldi, out, oo, ldo);
    }

    private static void tile8x3(int kc, float[] ap, int ao, float[] bp, int bo, float[] init, int io, int ldi,
                                float[] out, int oo, int ldo) {
        // Row r of the tile starts at init[io + r·ldi].
        FloatVector c00 = load(init, io), c01 = load(init, io + L), c02 = load(init, io + 2 * L);
        FloatVector c10 = load(init, io + 1 * ldi), c11 = load(init, io + 1 * ldi + L), c12 = load(init, io + 1 * ldi + 2 * L);
        FloatVector c20 = load(init, io + 2 * ldi), c21 = load(init, io + 2 * ldi + L), c22 = load(init, io + 2 * ldi + 2 * L);
        FloatVector c30 = load(init, io + 3 * ldi), c31 = load(init, io + 3 * ldi + L), c32 = load(init, io + 3 * ldi + 2 * L);
        FloatVector c40 = load(init, io + 4 * ldi), c41 = load(init, io + 4 * ldi + L), c42 = load(init, io + 4 * ldi + 2 * L);
        FloatVector c50 = load(init, io + 5 * ldi), c51 = load(init, io + 5 * ldi + L), c52 = load(init, io + 5 * ldi + 2 * L);
        FloatVector c60 = load(init, io + 6 * ldi), c61 = load(init, io + 6 * ldi + L), c62 = load(init, io + 6 * ldi + 2 * L);
        FloatVector c70 = load(init, io + 7 * ldi), c71 = load(init, io + 7 * ldi + L), c72 = load(init, io + 7 * ldi + 2 * L);
        for (int k = 0; k < kc; k++) {
            int a = ao + k * 8, b = bo + k * 3 * L;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, b);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, b + 2 * L);
            FloatVector ar = FloatVector.broadcast(SPECIES, ap[a]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01); c02 = ar.fma(b2, c02);
            ar = FloatVector.broadcast(SPECIES, ap[a + 1]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11); c12 = ar.fma(b2, c12);
            ar = FloatVector.broadcast(SPECIES, ap[a + 2]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21); c22 = ar.fma(b2, c22);
            ar = FloatVector.broadcast(SPECIES, ap[a + 3]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31); c32 = ar.fma(b2, c32);
            ar = FloatVector.broadcast(SPECIES, ap[a + 4]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41); c42 = ar.fma(b2, c42);
            ar = FloatVector.broadcast(SPECIES, ap[a + 5]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51); c52 = ar.fma(b2, c52);
            ar = FloatVector.broadcast(SPECIES, ap[a + 6]);
            c60 = ar.fma(b0, c60); c61 = ar.fma(b1, c61); c62 = ar.fma(b2, c62);
            ar = FloatVector.broadcast(SPECIES, ap[a + 7]);
            c70 = ar.fma(b0, c70); c71 = ar.fma(b1, c71); c72 = ar.fma(b2, c72);
        }
        c00.intoArray(out, oo); c01.intoArray(out, oo + L); c02.intoArray(out, oo + 2 * L);
        c10.intoArray(out, oo + 1 * ldo); c11.intoArray(out, oo + 1 * ldo + L); c12.intoArray(out, oo + 1 * ldo + 2 * L);
        c20.intoArray(out, oo + 2 * ldo); c21.intoArray(out, oo + 2 * ldo + L); c22.intoArray(out, oo + 2 * ldo + 2 * L);
        c30.intoArray(out, oo + 3 * ldo); c31.intoArray(out, oo + 3 * ldo + L); c32.intoArray(out, oo + 3 * ldo + 2 * L);
        c40.intoArray(out, oo + 4 * ldo); c41.intoArray(out, oo + 4 * ldo + L); c42.intoArray(out, oo + 4 * ldo + 2 * L);
        c50.intoArray(out, oo + 5 * ldo); c51.intoArray(out, oo + 5 * ldo + L); c52.intoArray(out, oo + 5 * ldo + 2 * L);
        c60.intoArray(out, oo + 6 * ldo); c61.intoArray(out, oo + 6 * ldo + L); c62.intoArray(out, oo + 6 * ldo + 2 * L);
        c70.intoArray(out, oo + 7 * ldo); c71.intoArray(out, oo + 7 * ldo + L); c72.intoArray(out, oo + 7 * ldo + 2 * L);
    }

    private static void tile6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] init, int io, int ldi,
                                float[] out, int oo, int ldo) {
        FloatVector c00 = load(init, io), c01 = load(init, io + L);
        FloatVector c10 = load(init, io + 1 * ldi), c11 = load(init, io + 1 * ldi + L);
        FloatVector c20 = load(init, io + 2 * ldi), c21 = load(init, io + 2 * ldi + L);
        FloatVector c30 = load(init, io + 3 * ldi), c31 = load(init, io + 3 * ldi + L);
        FloatVector c40 = load(init, io + 4 * ldi), c41 = load(init, io + 4 * ldi + L);
        FloatVector c50 = load(init, io + 5 * ldi), c51 = load(init, io + 5 * ldi + L);
        for (int k = 0; k < kc; k++) {
            int a = ao + k * 6, b = bo + k * 2 * L;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, b);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, b + L);
            FloatVector ar = FloatVector.broadcast(SPECIES, ap[a]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(SPECIES, ap[a + 1]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(SPECIES, ap[a + 2]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(SPECIES, ap[a + 3]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(SPECIES, ap[a + 4]);
            c40 = ar.fma(b0, c40);
            c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(SPECIES, ap[a + 5]);
            c50 = ar.fma(b0, c50);
            c51 = ar.fma(b1, c51);
        }
        c00.intoArray(out, oo); c01.intoArray(out, oo + L);
        c10.intoArray(out, oo + 1 * ldo); c11.intoArray(out, oo + 1 * ldo + L);
        c20.intoArray(out, oo + 2 * ldo); c21.intoArray(out, oo + 2 * ldo + L);
        c30.intoArray(out, oo + 3 * ldo); c31.intoArray(out, oo + 3 * ldo + L);
        c40.intoArray(out, oo + 4 * ldo); c41.intoArray(out, oo + 4 * ldo + L);
        c50.intoArray(out, oo + 5 * ldo); c51.intoArray(out, oo + 5 * ldo + L);
    }

    private static void rows8x3(int kc, float[] ap, int ao, int lda, float[] bp, int bo, float[] init, int io, int ldi,
                                float[] out, int oo, int ldo) {
        FloatVector c00 = load(init, io), c01 = load(init, io + L), c02 = load(init, io + 2 * L);
        FloatVector c10 = load(init, io + 1 * ldi), c11 = load(init, io + 1 * ldi + L), c12 = load(init, io + 1 * ldi + 2 * L);
        FloatVector c20 = load(init, io + 2 * ldi), c21 = load(init, io + 2 * ldi + L), c22 = load(init, io + 2 * ldi + 2 * L);
        FloatVector c30 = load(init, io + 3 * ldi), c31 = load(init, io + 3 * ldi + L), c32 = load(init, io + 3 * ldi + 2 * L);
        FloatVector c40 = load(init, io + 4 * ldi), c41 = load(init, io + 4 * ldi + L), c42 = load(init, io + 4 * ldi + 2 * L);
        FloatVector c50 = load(init, io + 5 * ldi), c51 = load(init, io + 5 * ldi + L), c52 = load(init, io + 5 * ldi + 2 * L);
        FloatVector c60 = load(init, io + 6 * ldi), c61 = load(init, io + 6 * ldi + L), c62 = load(init, io + 6 * ldi + 2 * L);
        FloatVector c70 = load(init, io + 7 * ldi), c71 = load(init, io + 7 * ldi + L), c72 = load(init, io + 7 * ldi + 2 * L);
        for (int k = 0; k < kc; k++) {
            int a = ao + k, b = bo + k * 3 * L;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, b);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, b + L);
            FloatVector b2 = FloatVector.fromArray(SPECIES, bp, b + 2 * L);
            FloatVector ar = FloatVector.broadcast(SPECIES, ap[a]);
            c00 = ar.fma(b0, c00); c01 = ar.fma(b1, c01); c02 = ar.fma(b2, c02);
            ar = FloatVector.broadcast(SPECIES, ap[a + 1 * lda]);
            c10 = ar.fma(b0, c10); c11 = ar.fma(b1, c11); c12 = ar.fma(b2, c12);
            ar = FloatVector.broadcast(SPECIES, ap[a + 2 * lda]);
            c20 = ar.fma(b0, c20); c21 = ar.fma(b1, c21); c22 = ar.fma(b2, c22);
            ar = FloatVector.broadcast(SPECIES, ap[a + 3 * lda]);
            c30 = ar.fma(b0, c30); c31 = ar.fma(b1, c31); c32 = ar.fma(b2, c32);
            ar = FloatVector.broadcast(SPECIES, ap[a + 4 * lda]);
            c40 = ar.fma(b0, c40); c41 = ar.fma(b1, c41); c42 = ar.fma(b2, c42);
            ar = FloatVector.broadcast(SPECIES, ap[a + 5 * lda]);
            c50 = ar.fma(b0, c50); c51 = ar.fma(b1, c51); c52 = ar.fma(b2, c52);
            ar = FloatVector.broadcast(SPECIES, ap[a + 6 * lda]);
            c60 = ar.fma(b0, c60); c61 = ar.fma(b1, c61); c62 = ar.fma(b2, c62);
            ar = FloatVector.broadcast(SPECIES, ap[a + 7 * lda]);
            c70 = ar.fma(b0, c70); c71 = ar.fma(b1, c71); c72 = ar.fma(b2, c72);
        }
        c00.intoArray(out, oo); c01.intoArray(out, oo + L); c02.intoArray(out, oo + 2 * L);
        c10.intoArray(out, oo + 1 * ldo); c11.intoArray(out, oo + 1 * ldo + L); c12.intoArray(out, oo + 1 * ldo + 2 * L);
        c20.intoArray(out, oo + 2 * ldo); c21.intoArray(out, oo + 2 * ldo + L); c22.intoArray(out, oo + 2 * ldo + 2 * L);
        c30.intoArray(out, oo + 3 * ldo); c31.intoArray(out, oo + 3 * ldo + L); c32.intoArray(out, oo + 3 * ldo + 2 * L);
        c40.intoArray(out, oo + 4 * ldo); c41.intoArray(out, oo + 4 * ldo + L); c42.intoArray(out, oo + 4 * ldo + 2 * L);
        c50.intoArray(out, oo + 5 * ldo); c51.intoArray(out, oo + 5 * ldo + L); c52.intoArray(out, oo + 5 * ldo + 2 * L);
        c60.intoArray(out, oo + 6 * ldo); c61.intoArray(out, oo + 6 * ldo + L); c62.intoArray(out, oo + 6 * ldo + 2 * L);
        c70.intoArray(out, oo + 7 * ldo); c71.intoArray(out, oo + 7 * ldo + L); c72.intoArray(out, oo + 7 * ldo + 2 * L);
    }

    private static void rows6x2(int kc, float[] ap, int ao, int lda, float[] bp, int bo, float[] init, int io, int ldi,
                                float[] out, int oo, int ldo) {
        FloatVector c00 = load(init, io), c01 = load(init, io + L);
        FloatVector c10 = load(init, io + 1 * ldi), c11 = load(init, io + 1 * ldi + L);
        FloatVector c20 = load(init, io + 2 * ldi), c21 = load(init, io + 2 * ldi + L);
        FloatVector c30 = load(init, io + 3 * ldi), c31 = load(init, io + 3 * ldi + L);
        FloatVector c40 = load(init, io + 4 * ldi), c41 = load(init, io + 4 * ldi + L);
        FloatVector c50 = load(init, io + 5 * ldi), c51 = load(init, io + 5 * ldi + L);
        for (int k = 0; k < kc; k++) {
            int a = ao + k, b = bo + k * 2 * L;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, b);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, b + L);
            FloatVector ar = FloatVector.broadcast(SPECIES, ap[a]);
            c00 = ar.fma(b0, c00);
            c01 = ar.fma(b1, c01);
            ar = FloatVector.broadcast(SPECIES, ap[a + 1 * lda]);
            c10 = ar.fma(b0, c10);
            c11 = ar.fma(b1, c11);
            ar = FloatVector.broadcast(SPECIES, ap[a + 2 * lda]);
            c20 = ar.fma(b0, c20);
            c21 = ar.fma(b1, c21);
            ar = FloatVector.broadcast(SPECIES, ap[a + 3 * lda]);
            c30 = ar.fma(b0, c30);
            c31 = ar.fma(b1, c31);
            ar = FloatVector.broadcast(SPECIES, ap[a + 4 * lda]);
            c40 = ar.fma(b0, c40);
            c41 = ar.fma(b1, c41);
            ar = FloatVector.broadcast(SPECIES, ap[a + 5 * lda]);
            c50 = ar.fma(b0, c50);
            c51 = ar.fma(b1, c51);
        }
        c00.intoArray(out, oo); c01.intoArray(out, oo + L);
        c10.intoArray(out, oo + 1 * ldo); c11.intoArray(out, oo + 1 * ldo + L);
        c20.intoArray(out, oo + 2 * ldo); c21.intoArray(out, oo + 2 * ldo + L);
        c30.intoArray(out, oo + 3 * ldo); c31.intoArray(out, oo + 3 * ldo + L);
        c40.intoArray(out, oo + 4 * ldo); c41.intoArray(out, oo + 4 * ldo + L);
        c50.intoArray(out, oo + 5 * ldo); c51.intoArray(out, oo + 5 * ldo + L);
    }

    /**
     * Whether {@link #narrow} applies: it holds the {@code MR = 8} rows of the AVX-512 tile. With narrower SIMD an
     * edge panel takes the full tile.
     */
    static final boolean NARROW = WIDE;

    /**
     * An edge panel whose columns fit in one vector (a head's 64 values are a panel of 48 and one of 16; 149 keys
     * are three panels and one of 5): {@code acc[r·NR + j] = Σ_k a[k, r] · b[k, j]} for {@code j < L} only, a third
     * of the full tile's work. A's element (k, r) is {@code ap[ao + k·kStep + r·rStep]}: packed ({@code MR, 1}) or
     * in place ({@code 1, lda}). Each sum runs over k in the same order as in the full tile, so results do not
     * depend on which kernel computed them.
     */
    static void narrow(int kc, float[] ap, int ao, int kStep, int rStep, float[] bp, int bo, float[] acc) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int r1 = rStep, r2 = 2 * rStep, r3 = 3 * rStep, r4 = 4 * rStep, r5 = 5 * rStep, r6 = 6 * rStep, r7 = 7 * rStep;
        for (int k = 0; k < kc; k++) {
            int a = ao + k * kStep;
            FloatVector b = FloatVector.fromArray(SPECIES, bp, bo + k * NR);
            c0 = FloatVector.broadcast(SPECIES, ap[a]).fma(b, c0);
            c1 = FloatVector.broadcast(SPECIES, ap[a + r1]).fma(b, c1);
            c2 = FloatVector.broadcast(SPECIES, ap[a + r2]).fma(b, c2);
            c3 = FloatVector.broadcast(SPECIES, ap[a + r3]).fma(b, c3);
            c4 = FloatVector.broadcast(SPECIES, ap[a + r4]).fma(b, c4);
            c5 = FloatVector.broadcast(SPECIES, ap[a + r5]).fma(b, c5);
            c6 = FloatVector.broadcast(SPECIES, ap[a + r6]).fma(b, c6);
            c7 = FloatVector.broadcast(SPECIES, ap[a + r7]).fma(b, c7);
        }
        c0.intoArray(acc, 0); c1.intoArray(acc, NR); c2.intoArray(acc, 2 * NR); c3.intoArray(acc, 3 * NR);
        c4.intoArray(acc, 4 * NR); c5.intoArray(acc, 5 * NR); c6.intoArray(acc, 6 * NR); c7.intoArray(acc, 7 * NR);
    }

    private static FloatVector load(float[] a, int i) {
        return FloatVector.fromArray(SPECIES, a, i);
    }

    /**
     * {@code c = alpha · acc + beta · c} for a whole tile whose row {@code r} starts at {@code c[co + r·ldc]};
     * with {@code beta == 0} the old tile is not read.
     */
    static void update(float[] acc, float[] c, int co, int ldc, float alpha, float beta) {
        for (int r = 0; r < MR; r++) {
            for (int j = 0; j < NR; j += L) {
                FloatVector v = FloatVector.fromArray(SPECIES, acc, r * NR + j).mul(alpha);
                int at = co + r * ldc + j;
                if (beta != 0) v = FloatVector.fromArray(SPECIES, c, at).mul(beta).add(v);
                v.intoArray(c, at);
            }
        }
    }

    /**
     * As {@link #update}, for the top-left {@code rows × cols} of the tile only (an edge tile): the same arithmetic
     * in vectors, masked at the right edge (a 512-channel conv's last panel is an edge tile in every row).
     */
    static void updateEdge(float[] acc, int rows, int cols, float[] c, int co, int ldc, float alpha, float beta) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j += L) {
                VectorMask<Float> inside = SPECIES.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(SPECIES, acc, r * NR + j).mul(alpha);
                int at = co + r * ldc + j;
                if (beta != 0) v = FloatVector.fromArray(SPECIES, c, at, inside).mul(beta).add(v);
                v.intoArray(c, at, inside);
            }
        }
    }
}
