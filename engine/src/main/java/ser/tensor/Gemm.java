package ser.tensor;

import static ser.tensor.GemmKernel.MR;
import static ser.tensor.GemmKernel.NR;

/**
 * Fast single-precision GEMM, {@code c = alpha · a · b + beta · c}, structured as BLIS does it: the operands are
 * packed into panels ({@link GemmPacking}), and {@link GemmKernel} computes {@code MR × NR} tiles of C from them
 * with every partial sum in a register. Loop order and block sizes keep each operand in the cache that reuses it:
 * <ul>
 *   <li>all of A is packed once, B one block of {@code NC} columns at a time, or not at all when it was packed
 *       beforehand ({@link #prepack}, for weights); against a few B panels A is read in place;</li>
 *   <li>a task owns an {@code MC}-row strip of the block's columns of C and runs through all of K for it in
 *       {@code KC}-deep steps, so the strip stays in L2 between steps instead of coming from memory again;</li>
 *   <li>within a step, each {@code KC × NR} B panel sits in L1 while the kernel sweeps it against every A panel of
 *       the strip, which come from L2.</li>
 * </ul>
 * Tasks are shared over a {@link Parallel} pool (row strips, and ranges of B panels when rows are few); packing
 * is split over the pool too. Operands may be any rank-2 views, heap or off-heap, transposed or sliced. Packing
 * buffers are per thread and reused, so steady-state calls allocate nothing large.
 *
 * <p>The result does not depend on the pool: a task owns whole tiles and runs through all of K for them, so each
 * element of C is summed in one order, fixed by the shapes, whichever thread claims the task and however many
 * there are. Training relies on this for bit-identical runs ({@code GemmThreadCountTest}).
 *
 * <p>On one Sapphire Rapids core (AVX-512, FMA peak 234 GFLOP/s) a 768×768×3072 product runs at 135-145 GFLOP/s,
 * about 60 % of peak (thread CPU time on a shared machine; {@code GemmBench} gives wall-clock figures). The kernel
 * alone reaches 219 GFLOP/s in L1; the rest goes to packing B (a copy at memory speed, gone with prepacked B),
 * to C updates, and to B coming from memory when a product has few rows to reuse it.
 * Use it through {@link SimdOps#gemm}; it is public for code that wants a GEMM with a pool of its own.
 */
public final class Gemm {

    /** Depth of a K block: a {@code KC × NR} B panel (36 KB with AVX-512) stays within a 48 KB L1. */
    static final int KC = 192;
    /**
     * Rows of an A block (a multiple of MR): {@code MC × KC} A (144 KB) stays in L2. Each block streams all of B
     * once more, from memory when B is one of a model's many weights; 192 rows take a 3-second clip's 150 frames
     * in one block (144 took two, and ran 15-20 % slower with the weights of twelve layers in turn).
     */
    static final int MC = 192 / MR * MR;
    /** Columns of a B block (a multiple of NR): an {@code MC × NC} strip of C (768 KB) stays in a 2 MB L2. */
    static final int NC = 1024 / NR * NR;
    /**
     * Up to this many B panels, a heap A with unit column stride is read in place instead of packed: packing
     * would copy each element to read it as many times (a positional-conv group has one panel, its A is an im2col
     * view 128 times the size of its input; attention scores and context have two to four).
     */
    static final int IN_PLACE_A_PANELS = 4;

    private final Parallel parallel;
    private final ThreadLocal<float[]> packedA = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> packedB = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> accumulators = ThreadLocal.withInitial(() -> new float[MR * NR]);

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
        Output out = new Output(c);
        Left left = left(a, n);
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            float[] bp = packB(b, j0, nc);
            multiplyColumnBlock(left, bp, 0, out, m, k, j0, nc, alpha, beta);
        }
    }

    /**
     * All of {@code b} in the panels {@link #gemm(float, Tensor, PackedMatrix, float, Tensor)} reads: the layout
     * {@link #packB} gives one column block, for every column at once. Since NC is a multiple of NR, column block
     * {@code j0} then starts at {@code panels[j0 · K]}.
     */
    public PackedMatrix prepack(Tensor b) {
        if (b.rank() != 2) throw new IllegalArgumentException("a packed GEMM operand is a matrix, got rank " + b.rank());
        int k = b.dim(0), n = b.dim(1);
        float[] panels = new float[Math.multiplyExact(ceilDiv(n, NR) * NR, k)];
        GemmPacking.packB(b, 0, n, panels, 0, new ArrayWindow(b));
        return new PackedMatrix(b, panels);
    }

    /** {@code c = alpha · a · b + beta · c} with B packed beforehand; a handle without panels multiplies by its view. */
    public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        if (b.panels == null) {
            gemm(alpha, a, b.matrix(), beta, c);
            return;
        }
        Shapes.checkGemm(a, b.matrix(), c);
        int m = a.dim(0), k = a.dim(1), n = b.cols();
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            scale(c, beta);
            return;
        }
        Output out = new Output(c);
        Left left = left(a, n);
        for (int j0 = 0; j0 < n; j0 += NC) {
            multiplyColumnBlock(left, b.panels, j0 * k, out, m, k, j0, Math.min(NC, n - j0), alpha, beta);
        }
    }

    /**
     * A as the kernels will read it: a heap A with unit column stride against a few B panels in place, but for a
     * last partial panel of rows; any other A packed whole, once per call.
     */
    private Left left(Tensor a, int n) {
        int m = a.dim(0), k = a.dim(1);
        float[] heap = a.heapArray();
        if (ceilDiv(n, NR) <= IN_PLACE_A_PANELS && heap != null && a.stride(1) == 1) {
            int inPlace = m / MR * MR;
            return new Left(packA(a, inPlace), inPlace, heap, a.heapOffset(), Math.toIntExact(a.stride(0)), k);
        }
        return new Left(packA(a, 0), 0, null, 0, 0, k);
    }

    /** Rows {@code from ..} of A in MR-row panels over the whole of K (see {@link GemmPacking#packA}). */
    private float[] packA(Tensor a, int from) {
        int m = a.dim(0) - from, k = a.dim(1), panels = ceilDiv(m, MR);
        float[] ap = grow(packedA, panels * MR * k);
        int tasks = Math.min(parallel.threads(), panels);
        parallel.parallelFor(tasks, t -> {
            int i0 = t * panels / tasks * MR, i1 = Math.min(m, (t + 1) * panels / tasks * MR);
            GemmPacking.packA(a, from + i0, i1 - i0, ap, i0 * k, new ArrayWindow(a));
        });
        return ap;
    }

    /**
     * The A operand: rows {@code [0, inPlace)} read where they lie, {@code rows[base + i·lda + k]}, and rows
     * from {@code inPlace} on packed in {@code packed}.
     */
    private record Left(float[] packed, int inPlace, float[] rows, int base, int lda, int k) {

        /** One tile's worth of {@link GemmKernel#tile}: rows {@code i .. i+MR} of A, K from {@code p0}. */
        void tile(int kc, int i, int p0, float[] bp, int bo, float[] init, int io, int ldi, float[] out, int oo, int ldo) {
            if (i < inPlace) GemmKernel.tileRows(kc, rows, base + i * lda + p0, lda, bp, bo, init, io, ldi, out, oo, ldo);
            else GemmKernel.tile(kc, packed, (i - inPlace) * k + p0 * MR, bp, bo, init, io, ldi, out, oo, ldo);
        }
    }

    /** Columns {@code j0 .. j0+nc} of B in NR-column panels over the whole of K. */
    private float[] packB(Tensor b, int j0, int nc) {
        int k = b.dim(0), panels = ceilDiv(nc, NR);
        float[] bp = grow(packedB, panels * NR * k);
        int tasks = Math.min(parallel.threads(), panels);
        parallel.parallelFor(tasks, t -> {
            int from = t * panels / tasks * NR, to = Math.min(nc, (t + 1) * panels / tasks * NR);
            GemmPacking.packB(b, j0 + from, to - from, bp, from * k, new ArrayWindow(b));
        });
        return bp;
    }

    /**
     * {@code c[:, j0 .. j0+nc]} from packed A and B, in tasks of MC rows × a range of B panels. A task runs
     * through all of K for its strip of C, so that the strip (at most {@code MC × NC}, 768 KB) stays in L2 from one
     * KC block to the next instead of coming from memory for every block. The block's B panels start at
     * {@code bp[bBase]}.
     */
    private void multiplyColumnBlock(Left a, float[] bp, int bBase, Output c, int m, int k, int j0, int nc, float alpha, float beta) {
        // Row blocks of equal height (a multiple of MR, at most MC): every block streams the B panels once, and a
        // last block of a few rows would do that for next to no work (200 rows: two blocks of 104, not 192 + 8).
        int height = ceilDiv(ceilDiv(m, ceilDiv(m, MC)), MR) * MR;
        int rowBlocks = ceilDiv(m, height), panels = ceilDiv(nc, NR);
        // Enough tasks to balance the threads, split across columns when rows are few: four per thread, so that a
        // thread the OS preempts on a busy machine leaves its share to the others instead of holding up the call.
        // Column groups cost little: each streams its own B panels, and its A comes from L2.
        int columnGroups = parallel.threads() == 1 ? 1
                : Math.clamp(ceilDiv(4 * parallel.threads(), rowBlocks), 1, panels);
        parallel.parallelFor(rowBlocks * columnGroups, task -> {
            int i0 = (task / columnGroups) * height, group = task % columnGroups;
            int mc = Math.min(height, m - i0);
            int qFrom = group * panels / columnGroups, qTo = (group + 1) * panels / columnGroups;
            float[] acc = accumulators.get();
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                float betaNow = p0 == 0 ? beta : 1f;
                // Each B panel (in L1) meets every A panel of the block (in L2) before the next B panel comes.
                for (int q = qFrom; q < qTo; q++) {
                    int j = j0 + q * NR, cols = Math.min(NR, nc - q * NR);
                    int bo = bBase + q * NR * k + p0 * NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        c.multiply(kc, a, p0, bp, bo, i0 + ir, Math.min(MR, mc - ir), j, cols, alpha, betaNow, acc);
                    }
                }
            }
        });
    }

    private static float[] grow(ThreadLocal<float[]> buffer, int size) {
        float[] b = buffer.get();
        if (b.length < size) buffer.set(b = new float[size]);
        return b;
    }

    /** The C operand, with what its tile updates need worked out once per call. */
    private static final class Output {
        final Tensor c;
        final float[] heap; // non-null when tiles can be updated with vector stores: a heap C with unit column stride
        final int base, ldc;

        Output(Tensor c) {
            this.c = c;
            boolean direct = c.heapArray() != null && c.stride(1) == 1;
            this.heap = direct ? c.heapArray() : null;
            this.base = direct ? c.heapOffset() : 0;
            this.ldc = direct ? Math.toIntExact(c.stride(0)) : 0;
        }

        /**
         * {@code c[i .. i+rows, j .. j+cols] = alpha · a·b + beta · c} for one tile. A whole tile
         * of a heap C with {@code alpha = 1} and {@code beta} 0 or 1 (a plain or accumulating product, nearly
         * every call) is accumulated in registers straight from and into C; any other goes through {@code acc}.
         */
        void multiply(int kc, Left a, int p0, float[] bp, int bo, int i, int rows, int j, int cols,
                      float alpha, float beta, float[] acc) {
            if (heap != null && rows == MR && cols == NR && alpha == 1 && (beta == 0 || beta == 1)) {
                int at = base + i * ldc + j;
                if (beta == 0) a.tile(kc, i, p0, bp, bo, GemmKernel.ZEROS, 0, 0, heap, at, ldc);
                else a.tile(kc, i, p0, bp, bo, heap, at, ldc, heap, at, ldc);
                return;
            }
            a.tile(kc, i, p0, bp, bo, GemmKernel.ZEROS, 0, 0, acc, 0, NR);
            update(acc, i, rows, j, cols, alpha, beta);
        }

        /** {@code c[i .. i+rows, j .. j+cols] = alpha · acc + beta · c}. */
        private void update(float[] acc, int i, int rows, int j, int cols, float alpha, float beta) {
            if (heap != null && rows == MR && cols == NR) {
                GemmKernel.update(acc, heap, base + i * ldc + j, ldc, alpha, beta);
                return;
            }
            if (heap != null) { // an edge tile
                for (int r = 0; r < rows; r++) {
                    for (int col = 0, at = base + (i + r) * ldc + j; col < cols; col++, at++) {
                        heap[at] = alpha * acc[r * NR + col] + (beta == 0 ? 0f : beta * heap[at]);
                    }
                }
                return;
            }
            // Off-heap or strided C: element by element.
            for (int r = 0; r < rows; r++) {
                long row = c.offset() + (i + r) * c.stride(0) + j * c.stride(1);
                for (int col = 0; col < cols; col++) {
                    long at = row + col * c.stride(1);
                    float old = beta == 0 ? 0f : beta * c.segment().getAtIndex(Tensor.F32, at);
                    c.segment().setAtIndex(Tensor.F32, at, old + alpha * acc[r * NR + col]);
                }
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
