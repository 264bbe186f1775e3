package ser.tensor;

import static ser.tensor.GemmKernel.MR;
import static ser.tensor.GemmKernel.NR;

/**
 * Fast single-precision GEMM, {@code c = alpha · a · b + beta · c}, the way BLIS structures it: B is packed in
 * blocks of {@code KC × NC}, A in blocks of {@code MC × KC}, and {@link GemmKernel} computes {@code MR × NR} tiles
 * from the packed panels. The block sizes keep each level of data in the cache that reuses it: one
 * {@code KC × NR} B panel (32 KB with AVX-512) stays in L1 while the kernel sweeps it against every A panel of the
 * block, and the {@code MC × KC} A block (144 KB) stays in L2 while the sweep moves across B.
 *
 * <p>Work is shared over a {@link Parallel} pool: the threads pack B's block together, then each takes tiles of
 * {@code MC} rows by a range of B panels, packing its own A block. Operands may be any rank-2 views, heap or
 * off-heap; see {@link GemmPacking}. Packing buffers are per thread and reused, so steady-state calls allocate
 * nothing large.
 *
 * <p>Use it through {@link SimdOps#gemm}; it is public for code that wants a GEMM with its own pool.
 */
public final class Gemm {

    /** Depth of a packed block: a {@code KC × NR} B panel fills two thirds of a 48 KB L1. */
    static final int KC = 256;
    /** Rows of an A block, a multiple of MR. */
    static final int MC = 24 * MR;
    /** Columns of a B block, a multiple of NR: bounds the shared packing buffer ({@code KC · NC} floats). */
    static final int NC = 128 * NR;

    private final Parallel parallel;
    private final ThreadLocal<float[]> packedA = ThreadLocal.withInitial(() -> new float[MC * KC]);
    private final ThreadLocal<float[]> packedB = ThreadLocal.withInitial(() -> new float[KC * NC]);
    private final ThreadLocal<float[]> edgeTile = ThreadLocal.withInitial(() -> new float[MR * NR]);

    public Gemm(Parallel parallel) {
        this.parallel = parallel;
    }

    /** {@code c = alpha · a · b + beta · c}; with {@code beta == 0} the old {@code c} is not read. */
    public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Shapes.checkGemm(a, b, c);
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scale(c, beta);
            return;
        }
        float[] bp = packedB.get();
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                packB(b, p0, kc, j0, nc, bp);
                multiplyBlock(a, bp, c, p0, kc, j0, nc, alpha, p0 == 0 ? beta : 1f);
            }
        }
    }

    private void packB(Tensor b, int p0, int kc, int j0, int nc, float[] bp) {
        int panels = ceilDiv(nc, NR);
        int tasks = Math.min(parallel.threads(), panels);
        parallel.parallelFor(tasks, t -> GemmPacking.packB(b, p0, kc, j0, nc,
                t * panels / tasks, (t + 1) * panels / tasks, bp, new ArrayWindow(b)));
    }

    /** All of {@code c[:, j0 .. j0+nc]} against one packed B block, in tasks of MC rows × a range of B panels. */
    private void multiplyBlock(Tensor a, float[] bp, Tensor c, int p0, int kc, int j0, int nc, float alpha, float beta) {
        int m = a.dim(0);
        int rowBlocks = ceilDiv(m, MC), panels = ceilDiv(nc, NR);
        // Enough tasks to balance the threads (twice as many as threads); split across columns when rows are few.
        int columnGroups = parallel.threads() == 1 ? 1
                : Math.clamp(ceilDiv(2 * parallel.threads(), rowBlocks), 1, panels);
        parallel.parallelFor(rowBlocks * columnGroups, task -> {
            int i0 = (task / columnGroups) * MC, group = task % columnGroups;
            int mc = Math.min(MC, m - i0);
            float[] ap = packedA.get();
            GemmPacking.packA(a, i0, mc, p0, kc, ap, new ArrayWindow(a));
            for (int q = group * panels / columnGroups, qEnd = (group + 1) * panels / columnGroups; q < qEnd; q++) {
                int jr = q * NR;
                for (int ir = 0; ir < mc; ir += MR) {
                    storeTile(ap, ir * kc, bp, q * NR * kc, kc, c, i0 + ir, Math.min(MR, mc - ir),
                            j0 + jr, Math.min(NR, nc - jr), alpha, beta);
                }
            }
        });
    }

    /**
     * One micro-tile into {@code c[i .. i+rows, j .. j+cols]}: straight into a heap C with unit column stride when
     * the tile is whole, else through a scratch tile and element-wise stores (edges, off-heap or strided C).
     */
    private void storeTile(float[] ap, int ao, float[] bp, int bo, int kc, Tensor c, int i, int rows, int j, int cols,
                           float alpha, float beta) {
        float[] heap = c.heapArray();
        if (heap != null && c.stride(1) == 1 && rows == MR && cols == NR) {
            int ldc = Math.toIntExact(c.stride(0));
            GemmKernel.tile(kc, ap, ao, bp, bo, heap, c.heapOffset() + i * ldc + j, ldc, alpha, beta);
            return;
        }
        float[] tile = edgeTile.get();
        GemmKernel.tile(kc, ap, ao, bp, bo, tile, 0, NR, 1f, 0f);
        for (int r = 0; r < rows; r++) {
            long row = c.offset() + (i + r) * c.stride(0) + j * c.stride(1);
            for (int col = 0; col < cols; col++) {
                long at = row + col * c.stride(1);
                float old = beta == 0 ? 0f : beta * c.segment().getAtIndex(Tensor.F32, at);
                c.segment().setAtIndex(Tensor.F32, at, old + alpha * tile[r * NR + col]);
            }
        }
    }

    /** {@code c = beta · c}, what remains of GEMM when {@code a · b} is empty or scaled away. */
    private static void scale(Tensor c, float beta) {
        for (int i = 0; i < c.dim(0); i++) {
            for (int j = 0; j < c.dim(1); j++) c.set(beta == 0 ? 0f : beta * c.get(i, j), i, j);
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
