package ser.tensor;

import jdk.incubator.vector.FloatVector;
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

    /**
     * {@code acc[r·NR + j] = Σ_k a[k, r] · b[k, j]} for the tile's {@code MR} rows and {@code NR} columns, where
     * packed A holds {@code ap[ao + k·MR + r]} and packed B {@code bp[bo + k·NR + j]}.
     *
     * <p>The kernels end in plain stores on purpose. With the {@code alpha}/{@code beta} update (and its
     * {@code beta == 0} branch) in the same method, C2 kept the accumulators boxed through the loop and the
     * kernel ran at 14 instead of 183 GFLOP/s (JDK 25, AVX-512); {@link #update} does that step separately.
     */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] acc) {
        if (WIDE) tile8x3(kc, ap, ao, bp, bo, acc);
        else tile6x2(kc, ap, ao, bp, bo, acc);
    }

    private static void tile8x3(int kc, float[] ap, int ao, float[] bp, int bo, float[] acc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES), c02 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES), c12 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES), c22 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES), c32 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES), c42 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES), c52 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES), c61 = FloatVector.zero(SPECIES), c62 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES), c71 = FloatVector.zero(SPECIES), c72 = FloatVector.zero(SPECIES);
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
        int row = 3 * L;
        c00.intoArray(acc, 0); c01.intoArray(acc, L); c02.intoArray(acc, 2 * L);
        c10.intoArray(acc, row); c11.intoArray(acc, row + L); c12.intoArray(acc, row + 2 * L);
        c20.intoArray(acc, 2 * row); c21.intoArray(acc, 2 * row + L); c22.intoArray(acc, 2 * row + 2 * L);
        c30.intoArray(acc, 3 * row); c31.intoArray(acc, 3 * row + L); c32.intoArray(acc, 3 * row + 2 * L);
        c40.intoArray(acc, 4 * row); c41.intoArray(acc, 4 * row + L); c42.intoArray(acc, 4 * row + 2 * L);
        c50.intoArray(acc, 5 * row); c51.intoArray(acc, 5 * row + L); c52.intoArray(acc, 5 * row + 2 * L);
        c60.intoArray(acc, 6 * row); c61.intoArray(acc, 6 * row + L); c62.intoArray(acc, 6 * row + 2 * L);
        c70.intoArray(acc, 7 * row); c71.intoArray(acc, 7 * row + L); c72.intoArray(acc, 7 * row + 2 * L);
    }

    private static void tile6x2(int kc, float[] ap, int ao, float[] bp, int bo, float[] acc) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
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
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
        c40.intoArray(acc, 8 * L);
        c41.intoArray(acc, 9 * L);
        c50.intoArray(acc, 10 * L);
        c51.intoArray(acc, 11 * L);
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
}
