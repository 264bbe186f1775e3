package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernel: one {@code MR × NR} tile of C from an {@code MR}-row panel of packed A and an
 * {@code NR}-column panel of packed B, with all {@code MR · NR} partial sums held in vector registers.
 *
 * <p>{@code MR = 6} rows by {@code NR = 2} vectors makes 12 accumulators: with the two B vectors and one broadcast
 * A value that is 15 registers, which fits AVX2's 16 as well as AVX-512's 32, and 12 independent FMA chains cover
 * the FMA latency (4 cycles) on both FMA ports. Per step of k the kernel loads 2 vectors of B and 6 scalars of A
 * (broadcast straight from memory) for 12 FMAs.
 */
final class GemmKernel {

    private GemmKernel() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    /**
     * {@code c[r, j] = alpha · Σ_k a[k, r] · b[k, j] + beta · c[r, j]} for the tile's {@code MR} rows and {@code NR}
     * columns, where packed A holds {@code ap[ao + k·MR + r]} and packed B {@code bp[bo + k·NR + j]}, and row
     * {@code r} of the tile starts at {@code c[co + r·ldc]}. With {@code beta == 0} the old tile is not read.
     */
    static void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int k = 0, a = ao, b = bo; k < kc; k++, a += MR, b += NR) {
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
        store(c00, c01, c, co, alpha, beta);
        store(c10, c11, c, co + ldc, alpha, beta);
        store(c20, c21, c, co + 2 * ldc, alpha, beta);
        store(c30, c31, c, co + 3 * ldc, alpha, beta);
        store(c40, c41, c, co + 4 * ldc, alpha, beta);
        store(c50, c51, c, co + 5 * ldc, alpha, beta);
    }

    private static void store(FloatVector lo, FloatVector hi, float[] c, int at, float alpha, float beta) {
        if (beta == 0) {
            lo.mul(alpha).intoArray(c, at);
            hi.mul(alpha).intoArray(c, at + L);
        } else {
            FloatVector.fromArray(SPECIES, c, at).mul(beta).add(lo.mul(alpha)).intoArray(c, at);
            FloatVector.fromArray(SPECIES, c, at + L).mul(beta).add(hi.mul(alpha)).intoArray(c, at + L);
        }
    }
}
