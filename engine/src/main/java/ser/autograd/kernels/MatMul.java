package ser.autograd.kernels;

import java.lang.foreign.MemorySegment;
import ser.tensor.Gemm;
import ser.tensor.Tensor;

/**
 * {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when accumulating, on row-major float arrays: the BLAS-style
 * signature the training kernels think in, over the tensor core's {@link Gemm}. Each operand becomes a rank-2
 * view of its array at its offset with its leading dimension; a transpose is the same view with the strides
 * swapped, which {@code Gemm}'s packing reads across, so no operand is copied here.
 *
 * <p>{@code Gemm} gives every element of C the same summation order however its tiles are shared out (a tile runs
 * through all of K on one thread), so {@link #gemmParallel} is bit-identical to {@link #gemm}, and both to
 * themselves run after run.
 */
final class MatMul {

    /** For products made inside a {@link Parallel} slice: the slices already occupy the threads. */
    private static final Gemm SERIAL = new Gemm(new ser.tensor.Parallel(1));
    private static final Gemm POOLED = new Gemm(Parallel.pool());

    private MatMul() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float[] c, int offC, int ldc, boolean accumulate) {
        product(SERIAL, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc, accumulate);
    }

    /** {@link #gemm} with C's tiles shared over the {@link Parallel} pool. */
    static void gemmParallel(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int offA, int lda, float[] b, int offB, int ldb,
                             float[] c, int offC, int ldc, boolean accumulate) {
        product(POOLED, transA, transB, m, n, k, a, offA, lda, b, offB, ldb, c, offC, ldc, accumulate);
    }

    private static void product(Gemm gemm, boolean transA, boolean transB, int m, int n, int k,
                                float[] a, int offA, int lda, float[] b, int offB, int ldb,
                                float[] c, int offC, int ldc, boolean accumulate) {
        gemm.gemm(1f, matrix(a, offA, lda, m, k, transA), matrix(b, offB, ldb, k, n, transB),
                accumulate ? 1f : 0f, matrix(c, offC, ldc, m, n, false));
    }

    /** The {@code rows × cols} matrix at {@code off}: stored row-major with leading dimension {@code ld}, or its transpose. */
    private static Tensor matrix(float[] x, int off, int ld, int rows, int cols, boolean transposed) {
        long[] strides = transposed ? new long[] {1, ld} : new long[] {ld, 1};
        return Tensor.view(MemorySegment.ofArray(x), off, new int[] {rows, cols}, strides);
    }
}
