package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} when accumulating, on row-major float arrays.
 *
 * <p>Every matrix product of the training kernels goes through {@link #gemm}: it is a stand-in, to be switched
 * to {@code ser.tensor.Gemm} when the tensor core lands, so it stays simple. One register-blocked kernel does
 * the work: 8 rows of {@code A} broadcast against a panel of {@code B} two vectors wide, 16 accumulators. The
 * panels are packed (cache-blocked {@link #KC} × {@link #NC}) so that they stream contiguously; packing is also
 * where a transposed {@code B} is read across, so both layouts run the same kernel. A transposed {@code A} is
 * copied into row-major order first (it is a weight or a small operand where used).
 *
 * <p>The summation order of each output element depends only on {@code K}, never on how the rows are split
 * across threads, so {@link #gemmParallel} is bit-identical to {@link #gemm}.
 */
final class MatMul {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int NC = 1024;

    private MatMul() {}

    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int offA, int lda, float[] b, int offB, int ldb,
                     float[] c, int offC, int ldc, boolean accumulate) {
        if (!accumulate) {
            for (int i = 0; i < m; i++) java.util.Arrays.fill(c, offC + i * ldc, offC + i * ldc + n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) return;
        if (transA) {
            a = transpose(a, offA, lda, k, m);
            offA = 0;
            lda = k;
        }
        panelBlocks(m, n, k, a, offA, lda, transB, b, offB, ldb, c, offC, ldc);
    }

    /** {@link #gemm} with the rows of {@code C} split across {@link Parallel} slices. */
    static void gemmParallel(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int offA, int lda, float[] b, int offB, int ldb,
                             float[] c, int offC, int ldc, boolean accumulate) {
        float[] rowMajorA = transA ? transpose(a, offA, lda, k, m) : a;
        int offRowA = transA ? 0 : offA;
        int ldRowA = transA ? k : lda;
        int blocks = (m + MR - 1) / MR;
        Parallel.forEachChunk(blocks, (chunk, from, to) -> {
            int i0 = from * MR;
            int rows = Math.min(m, to * MR) - i0;
            gemm(false, transB, rows, n, k, rowMajorA, offRowA + i0 * ldRowA, ldRowA, b, offB, ldb,
                    c, offC + i0 * ldc, ldc, accumulate);
        });
    }

    /** The {@code cols × rows} row-major matrix at {@code off} as a new {@code rows × cols} row-major array. */
    private static float[] transpose(float[] x, int off, int ld, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) t[q * rows + r] = x[off + r * ld + q];
        }
        return t;
    }

    private static void panelBlocks(int m, int n, int k, float[] a, int offA, int lda,
                                    boolean transB, float[] b, int offB, int ldb, float[] c, int offC, int ldc) {
        float[] packed = new float[Math.min(KC, k) * ((Math.min(NC, n) + NR - 1) / NR) * NR];
        float[] edge = new float[MR * NR];
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                if (transB) packTransposed(b, offB + j0 * ldb + k0, ldb, kc, nc, packed);
                else pack(b, offB + k0 * ldb + j0, ldb, kc, nc, packed);
                for (int p = 0; p * NR < nc; p++) {
                    int cols = Math.min(NR, nc - p * NR);
                    int panel = p * kc * NR;
                    int cAt = offC + j0 + p * NR;
                    int i = 0;
                    for (; i + MR <= m; i += MR) {
                        if (cols == NR) kernel8(kc, a, offA + i * lda + k0, lda, packed, panel, c, cAt + i * ldc, ldc);
                        else {
                            java.util.Arrays.fill(edge, 0f);
                            kernel8(kc, a, offA + i * lda + k0, lda, packed, panel, edge, 0, NR);
                            addEdge(edge, MR, cols, c, cAt + i * ldc, ldc);
                        }
                    }
                    for (; i < m; i++) {
                        if (cols == NR) kernel1(kc, a, offA + i * lda + k0, packed, panel, c, cAt + i * ldc);
                        else {
                            java.util.Arrays.fill(edge, 0, NR, 0f);
                            kernel1(kc, a, offA + i * lda + k0, packed, panel, edge, 0);
                            addEdge(edge, 1, cols, c, cAt + i * ldc, ldc);
                        }
                    }
                }
            }
        }
    }

    /** Copies {@code B[0:kc, 0:nc]} into panels of {@link #NR} columns, each {@code kc × NR}, zero-padded. */
    private static void pack(float[] b, int off, int ldb, int kc, int nc, float[] packed) {
        for (int p = 0; p * NR < nc; p++) {
            int cols = Math.min(NR, nc - p * NR);
            int dst = p * kc * NR;
            for (int kk = 0; kk < kc; kk++, dst += NR) {
                System.arraycopy(b, off + kk * ldb + p * NR, packed, dst, cols);
                if (cols < NR) java.util.Arrays.fill(packed, dst + cols, dst + NR, 0f);
            }
        }
    }

    /** As {@link #pack}, for {@code B} stored as {@code [n, k]}: each source row fills one column of a panel. */
    private static void packTransposed(float[] b, int off, int ldb, int kc, int nc, float[] packed) {
        for (int p = 0; p * NR < nc; p++) {
            int cols = Math.min(NR, nc - p * NR);
            int dst = p * kc * NR;
            for (int jj = 0; jj < NR; jj++) {
                if (jj >= cols) {
                    for (int kk = 0; kk < kc; kk++) packed[dst + kk * NR + jj] = 0f;
                    continue;
                }
                int src = off + (p * NR + jj) * ldb;
                for (int kk = 0; kk < kc; kk++) packed[dst + kk * NR + jj] = b[src + kk];
            }
        }
    }

    private static void addEdge(float[] edge, int rows, int cols, float[] c, int cAt, int ldc) {
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) c[cAt + r * ldc + q] += edge[r * NR + q];
        }
    }

    /** {@code C[0:8, 0:NR] += A[0:8, 0:kc] · panel}. */
    private static void kernel8(int kc, float[] a, int aAt, int lda, float[] panel, int pAt, float[] c, int cAt, int ldc) {
        FloatVector c00 = FloatVector.fromArray(S, c, cAt), c01 = FloatVector.fromArray(S, c, cAt + L);
        FloatVector c10 = FloatVector.fromArray(S, c, cAt + ldc), c11 = FloatVector.fromArray(S, c, cAt + ldc + L);
        FloatVector c20 = FloatVector.fromArray(S, c, cAt + 2 * ldc), c21 = FloatVector.fromArray(S, c, cAt + 2 * ldc + L);
        FloatVector c30 = FloatVector.fromArray(S, c, cAt + 3 * ldc), c31 = FloatVector.fromArray(S, c, cAt + 3 * ldc + L);
        FloatVector c40 = FloatVector.fromArray(S, c, cAt + 4 * ldc), c41 = FloatVector.fromArray(S, c, cAt + 4 * ldc + L);
        FloatVector c50 = FloatVector.fromArray(S, c, cAt + 5 * ldc), c51 = FloatVector.fromArray(S, c, cAt + 5 * ldc + L);
        FloatVector c60 = FloatVector.fromArray(S, c, cAt + 6 * ldc), c61 = FloatVector.fromArray(S, c, cAt + 6 * ldc + L);
        FloatVector c70 = FloatVector.fromArray(S, c, cAt + 7 * ldc), c71 = FloatVector.fromArray(S, c, cAt + 7 * ldc + L);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, panel, pAt + kk * NR);
            FloatVector b1 = FloatVector.fromArray(S, panel, pAt + kk * NR + L);
            int at = aAt + kk;
            FloatVector x = FloatVector.broadcast(S, a[at]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[at + lda]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[at + 2 * lda]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[at + 3 * lda]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[at + 4 * lda]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[at + 5 * lda]);
            c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[at + 6 * lda]);
            c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[at + 7 * lda]);
            c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, cAt); c01.intoArray(c, cAt + L);
        c10.intoArray(c, cAt + ldc); c11.intoArray(c, cAt + ldc + L);
        c20.intoArray(c, cAt + 2 * ldc); c21.intoArray(c, cAt + 2 * ldc + L);
        c30.intoArray(c, cAt + 3 * ldc); c31.intoArray(c, cAt + 3 * ldc + L);
        c40.intoArray(c, cAt + 4 * ldc); c41.intoArray(c, cAt + 4 * ldc + L);
        c50.intoArray(c, cAt + 5 * ldc); c51.intoArray(c, cAt + 5 * ldc + L);
        c60.intoArray(c, cAt + 6 * ldc); c61.intoArray(c, cAt + 6 * ldc + L);
        c70.intoArray(c, cAt + 7 * ldc); c71.intoArray(c, cAt + 7 * ldc + L);
    }

    /** {@code C[0, 0:NR] += A[0, 0:kc] · panel}: the same per-element order as {@link #kernel8}. */
    private static void kernel1(int kc, float[] a, int aAt, float[] panel, int pAt, float[] c, int cAt) {
        FloatVector c0 = FloatVector.fromArray(S, c, cAt), c1 = FloatVector.fromArray(S, c, cAt + L);
        for (int kk = 0; kk < kc; kk++) {
            FloatVector x = FloatVector.broadcast(S, a[aAt + kk]);
            c0 = x.fma(FloatVector.fromArray(S, panel, pAt + kk * NR), c0);
            c1 = x.fma(FloatVector.fromArray(S, panel, pAt + kk * NR + L), c1);
        }
        c0.intoArray(c, cAt);
        c1.intoArray(c, cAt + L);
    }
}
