package ser.tensor;

import static ser.tensor.GemmKernel.MR;
import static ser.tensor.GemmPacking.NO_DIFFERENCE;
import static ser.tensor.GemmKernel.NR;

/**
 * Fast single-precision GEMM, {@code c = alpha · a · b + beta · c}, structured as BLIS does it: the operands are
 * packed into panels ({@link GemmPacking}), and {@link GemmKernel} computes {@code MR × NR} tiles of C from them
 * with every partial sum in a register. Loop order and block sizes keep each operand in the cache that reuses it:
 * <ul>
 *   <li>A is packed once, whole, or block by block in the tasks when it is tall (a conv's im2col matrix); B one
 *       block of {@code NC} columns at a time, or not at all when it was packed beforehand ({@link #prepack},
 *       for weights); against a few B panels A is read in place;</li>
 *   <li>a task is a block of rows (at most {@code MC}) and one B panel, or all of them when each task packs
 *       its own A block, run through K: each thread takes its tasks in a contiguous run
 *       ({@link Parallel#parallelForRuns}), so that B is read as one sequential stream per thread (from memory,
 *       for a model's many weights, where the hardware prefetcher keeps up with it) while the row block's A stays
 *       in L2, and a thread that is done early takes panels from the back of the other's run;</li>
 *   <li>each {@code KC × NR} slice of a B panel sits in L1 while the kernel sweeps it against every A panel of
 *       the block.</li>
 * </ul>
 * Tasks are shared over a {@link Parallel} pool; packing is split over the pool too. Operands may be any rank-2
 * views, heap or off-heap, transposed or sliced. Packing buffers are per thread and reused, so steady-state calls
 * allocate nothing large.
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
     * Rows of an A block (a multiple of MR). Each block streams all of its B panels once more, from memory when B
     * is one of a model's many weights; 192 rows take a 3-second clip's 150 frames in one block (144 took two, and
     * ran 15-20 % slower with the weights of twelve layers in turn).
     */
    static final int MC = 192 / MR * MR;
    /** Columns of B packed at a time (a multiple of NR) when it was not packed beforehand: 4 MB at K = 1024. */
    static final int NC = 1024 / NR * NR;
    /**
     * Up to this many B panels, a heap A with unit column stride is read in place instead of packed: packing
     * would copy each element to read it as many times (a positional-conv group has one panel, its A is an im2col
     * view 128 times the size of its input; attention scores and context have two to four).
     */
    static final int IN_PLACE_A_PANELS = 4;
    /**
     * Floats before the first panel of a prepacked matrix, to start the panels on a cache line. The kernel loads B
     * in whole vectors, and one that straddles two lines costs two accesses: 5-6 % of a transformer GEMM's time
     * on AVX-512. HotSpot's collectors put an array of a megabyte or more (every weight matrix of HuBERT base)
     * at the start of a heap region, so that its elements begin 16 bytes (the array header) past a 64-byte
     * boundary, and 12 floats more take the panels to the next. An array placed anywhere else loses 48 bytes.
     */
    static final int PANEL_SKEW = 12;
    /** Tasks a product is cut into, per thread (see {@link #split}). */
    static final int TASKS_PER_THREAD = 4;
    /** The most of A, in bytes, that a task keeps in L2 (half of a 2 MB L2) while its B panels stream past. */
    static final int A_BLOCK_BYTES = 1 << 20;

    private final Parallel parallel;
    private final ThreadLocal<float[]> packedA = ThreadLocal.withInitial(() -> new float[0]);
    private final ThreadLocal<float[]> blockA = ThreadLocal.withInitial(() -> new float[0]);
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
        Left left = left(a, NO_DIFFERENCE, n, Math.min(n, NC));
        for (int j0 = 0; j0 < n; j0 += NC) {
            int nc = Math.min(NC, n - j0);
            float[] bp = packB(b, j0, nc);
            multiplyColumnBlock(a, NO_DIFFERENCE, left, bp, 0, out, j0, nc, alpha, beta, null);
        }
    }

    /**
     * All of {@code b} in the panels {@link #gemm(float, Tensor, PackedMatrix, float, Tensor)} reads: the layout
     * {@link #packB} gives one column block, for every column at once, from {@code panels[PANEL_SKEW]} on.
     */
    public PackedMatrix prepack(Tensor b) {
        if (b.rank() != 2) throw new IllegalArgumentException("a packed GEMM operand is a matrix, got rank " + b.rank());
        int k = b.dim(0), n = b.dim(1);
        float[] panels = new float[Math.addExact(Math.multiplyExact(ceilDiv(n, NR) * NR, k), PANEL_SKEW)];
        GemmPacking.packB(b, 0, n, panels, PANEL_SKEW, new ArrayWindow(b));
        return new PackedMatrix(b, panels);
    }

    /** {@code c = alpha · a · b + beta · c} with B packed beforehand; a handle without panels multiplies by its view. */
    public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        gemm(alpha, a, b, beta, c, null);
    }

    /**
     * What is done to each tile of C once all of K is summed into it, while it is still in L1: {@code bias}
     * (read at {@code bias[biasOffset + column]}, or null) added, then GELU applied. The same arithmetic as the
     * separate passes over C that it replaces ({@link SimdOps#linear}), element by element.
     */
    record Epilogue(float[] bias, int biasOffset, boolean gelu) {

        /** Whether {@code c} can take one: tiles are finished in place, in a heap C with unit column stride. */
        static boolean fits(Tensor c) {
            return c.heapArray() != null && c.stride(1) == 1;
        }
    }

    /** As {@link #gemm(float, Tensor, PackedMatrix, float, Tensor)}, then {@code epilogue} (null for none). */
    void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c, Epilogue epilogue) {
        gemm(alpha, a, NO_DIFFERENCE, b, beta, c, epilogue);
    }

    /**
     * As {@link #gemm(float, Tensor, PackedMatrix, float, Tensor, Epilogue)} with A the difference of {@code a} and
     * {@code a} moved {@code minus} elements along its segment ({@link GemmPacking#packA(Tensor, long, int, int,
     * float[], int, ArrayWindow)}), formed as A is packed; {@link GemmPacking#NO_DIFFERENCE} for {@code a} itself.
     * A difference needs the path that packs A: B packed, K and alpha not 0.
     */
    void gemm(float alpha, Tensor a, long minus, PackedMatrix b, float beta, Tensor c, Epilogue epilogue) {
        if (epilogue != null && !Epilogue.fits(c)) throw new IllegalArgumentException("an epilogue needs a heap C with unit column stride");
        if (minus != NO_DIFFERENCE && (b.panels == null || a.dim(1) == 0 || alpha == 0)) {
            throw new IllegalArgumentException("a product of differences needs packed B, K > 0 and alpha ≠ 0: it forms them in packing");
        }
        if (b.panels == null || a.dim(1) == 0 || alpha == 0) {
            // B by its view (a handle without panels), or C only scaled (k or alpha 0): the epilogue is a pass of its own.
            gemm(alpha, a, b.matrix(), beta, c);
            if (epilogue != null) new Output(c).finish(epilogue, 0, c.dim(0), 0, c.dim(1));
            return;
        }
        Shapes.checkGemm(a, b.matrix(), c);
        int m = a.dim(0), n = b.cols();
        if (m == 0 || n == 0) return;
        // Packed B needs no column blocks: all of it is one, shared out in one go.
        multiplyColumnBlock(a, minus, left(a, minus, n, n), b.panels, PANEL_SKEW, new Output(c), 0, n, alpha, beta, epilogue);
    }

    /**
     * A as the kernels will read it: a heap A with unit column stride against a few B panels in place, but for a
     * last partial panel of rows; a tall A, whose row blocks give every thread tasks enough, not here but block by
     * block in the tasks (null); any other A packed whole, once per call.
     */
    private Left left(Tensor a, long minus, int n, int blockColumns) {
        int m = a.dim(0), k = a.dim(1);
        float[] heap = a.heapArray();
        if (ceilDiv(n, NR) <= IN_PLACE_A_PANELS && heap != null && a.stride(1) == 1 && minus == NO_DIFFERENCE) {
            int inPlace = m / MR * MR;
            return new Left(packA(a, minus, inPlace), inPlace, 0, k, heap, a.heapOffset(), Math.toIntExact(a.stride(0)));
        }
        if (split(m, ceilDiv(blockColumns, NR)).columnGroups == 1 && ceilDiv(m, MC) > 1) return null;
        return new Left(packA(a, minus, 0), 0, 0, k, null, 0, 0);
    }

    /** Rows {@code from ..} of A in MR-row panels over the whole of K (see {@link GemmPacking#packA}). */
    private float[] packA(Tensor a, long minus, int from) {
        int m = a.dim(0) - from, k = a.dim(1), panels = ceilDiv(m, MR);
        float[] ap = grow(packedA, panels * MR * k);
        int tasks = Math.min(parallel.threads(), panels);
        parallel.parallelFor(tasks, t -> {
            int i0 = t * panels / tasks * MR, i1 = Math.min(m, (t + 1) * panels / tasks * MR);
            GemmPacking.packA(a, minus, from + i0, i1 - i0, ap, i0 * k, new ArrayWindow(a));
        });
        return ap;
    }

    /**
     * Rows {@code i0 .. i0+rows} and steps {@code k0 .. k1} of A, packed by the task that multiplies them into a
     * buffer of its thread: the block goes from there to L2 and stays, where a whole packed A (a feature-encoder
     * conv's im2col matrix: 29 MB) would go to memory and come back.
     */
    private Left packBlock(Tensor a, long minus, int i0, int rows, int k0, int k1) {
        float[] ap = grow(blockA, ceilDiv(rows, MR) * MR * (k1 - k0));
        Tensor block = a.slice(0, i0, i0 + rows).slice(1, k0, k1);
        GemmPacking.packA(block, minus, 0, rows, ap, 0, new ArrayWindow(block));
        return new Left(ap, i0, k0, k1 - k0, null, 0, 0);
    }

    /**
     * The A operand: rows below {@code rowFrom} read where they lie, {@code rows[base + i·lda + k]} (when
     * {@code rows} is not null), and rows from {@code rowFrom} on packed in {@code packed}, {@code depth} steps
     * from step {@code kFrom} on.
     */
    private record Left(float[] packed, int rowFrom, int kFrom, int depth, float[] rows, int base, int lda) {

        /** One tile's worth of {@link GemmKernel#tile}: rows {@code i .. i+MR} of A, K from {@code p0}. */
        void tile(int kc, int i, int p0, float[] bp, int bo, float[] init, int io, int ldi, float[] out, int oo, int ldo) {
            if (i < rowFrom) GemmKernel.tileRows(kc, rows, base + i * lda + p0, lda, bp, bo, init, io, ldi, out, oo, ldo);
            else GemmKernel.tile(kc, packed, (i - rowFrom) * depth + (p0 - kFrom) * MR, bp, bo, init, io, ldi, out, oo, ldo);
        }

        /** {@link GemmKernel#narrow} on rows {@code i .. i+MR} of A, K from {@code p0}, into {@code acc}. */
        void narrow(int kc, int i, int p0, float[] bp, int bo, float[] acc) {
            if (i < rowFrom) GemmKernel.narrow(kc, rows, base + i * lda + p0, 1, lda, bp, bo, acc);
            else GemmKernel.narrow(kc, packed, (i - rowFrom) * depth + (p0 - kFrom) * MR, MR, 1, bp, bo, acc);
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
     * {@code c[:, j0 .. j0+nc]} from A and packed B, in tasks of a row block × B panels. A task runs through K
     * (in {@code span}-deep stretches, see below) for its panels one at a time, so B is read in one sequential
     * stream, which the hardware prefetches from memory, as a model's weights mostly come. Each KC-deep slice of
     * a panel (in L1) meets every MR-row panel of the block's A (in L2). The block's B panels start at
     * {@code bp[bBase]}; {@code left} null means each task packs its own A block. A tile's last K step is followed
     * by the {@code epilogue}, if any.
     */
    private void multiplyColumnBlock(Tensor a, long minus, Left left, float[] bp, int bBase, Output c, int j0, int nc, float alpha, float beta,
                                     Epilogue epilogue) {
        int m = a.dim(0), k = a.dim(1), panels = ceilDiv(nc, NR);
        Split split = split(m, panels);
        int height = split.height;
        // K is walked in spans whose A block (height × span) stays in L2 while the task's panels pass it: all of K
        // for a transformer's 768-deep products, two spans for the 3072-deep feed-forward output.
        int span = Math.max(KC, A_BLOCK_BYTES / (Float.BYTES * height) / KC * KC);
        if (left != null) {
            // A is ready: the tasks are single panels of a row block, dealt out to the threads in runs (each a
            // stretch of B) and taken over at the end by whichever thread is free, so that the threads finish
            // within a panel of each other. Spans one after another: a tile's K steps run in order.
            int units = split.rowBlocks * panels;
            for (int s0 = 0; s0 < k; s0 += span) {
                int from = s0, to = Math.min(k, s0 + span);
                parallel.parallelForRuns(units, unit -> {
                    int i0 = unit / panels * height;
                    multiplyPanels(left, bp, bBase, c, j0, nc, k, i0, Math.min(height, m - i0), unit % panels, unit % panels + 1,
                            from, to, alpha, beta, epilogue);
                });
            }
            return;
        }
        // A tall A (left() gives it only with one column group): as many row blocks for each thread, of MR-row
        // panels shared out as evenly as they go, so that no thread ends a whole block after the other. With 13
        // blocks of 192 rows (a feature-encoder product with 2,400 rows), one of two threads idled for a block.
        int rowPanels = ceilDiv(m, MR), blocks = ceilDiv(split.rowBlocks, parallel.threads()) * parallel.threads();
        parallel.parallelFor(blocks, block -> {
            int i0 = block * rowPanels / blocks * MR, mc = Math.min(m, (block + 1) * rowPanels / blocks * MR) - i0;
            if (mc <= 0) return; // more threads than panels of rows
            for (int s0 = 0; s0 < k; s0 += span) {
                int s1 = Math.min(k, s0 + span);
                multiplyPanels(packBlock(a, minus, i0, mc, s0, s1), bp, bBase, c, j0, nc, k, i0, mc, 0, panels, s0, s1, alpha, beta,
                        epilogue);
            }
        });
    }

    /** Rows {@code i0 .. i0+mc} of C, B panels {@code qFrom .. qTo} in turn, K steps {@code s0 .. s1} of each. */
    private void multiplyPanels(Left from, float[] bp, int bBase, Output c, int j0, int nc, int k, int i0, int mc,
                                int qFrom, int qTo, int s0, int s1, float alpha, float beta, Epilogue epilogue) {
        float[] acc = accumulators.get();
        for (int q = qFrom; q < qTo; q++) {
            int j = j0 + q * NR, cols = Math.min(NR, nc - q * NR);
            for (int p0 = s0; p0 < s1; p0 += KC) {
                int kc = Math.min(KC, s1 - p0);
                float betaNow = p0 == 0 ? beta : 1f;
                int bo = bBase + q * NR * k + p0 * NR;
                boolean last = epilogue != null && p0 + kc == k;
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = Math.min(MR, mc - ir);
                    c.multiply(kc, from, p0, bp, bo, i0 + ir, rows, j, cols, alpha, betaNow, acc);
                    if (last) c.finish(epilogue, i0 + ir, rows, j, cols);
                }
            }
        }
    }

    /** How a column block of {@code panels} B panels is cut into tasks: row blocks of {@code height} × column groups. */
    private record Split(int height, int rowBlocks, int columnGroups) {}

    private Split split(int m, int panels) {
        int threads = parallel.threads(), rowBlocks = ceilDiv(m, MC), columnGroups = 1;
        // Enough tasks to balance the threads, four per thread, so that a thread the OS preempts on a busy machine
        // leaves its share to the others instead of holding up the call. Tall A: row blocks alone make them.
        int wanted = TASKS_PER_THREAD * threads;
        if (threads > 1 && rowBlocks < wanted) {
            // Few rows (a 3-second clip's 149 frames are one block): columns split too, when A is packed per task
            // (with A ready, every panel is a task, see multiplyColumnBlock). Column groups cost little: each
            // streams its own B panels, and its A comes from L2.
            int perTask = ceilDiv(panels * rowBlocks, wanted);
            columnGroups = ceilDiv(panels, perTask);
            // Too few panels even so (a positional-conv group has one): thinner row blocks, of two tiles or more,
            // each streaming the few panels again, from cache.
            if (rowBlocks * columnGroups < wanted) {
                rowBlocks = Math.max(rowBlocks, Math.min(ceilDiv(m, 2 * MR), ceilDiv(wanted, columnGroups)));
            }
        }
        // Row blocks of equal height (a multiple of MR): every block streams the B panels once, and a last block
        // of a few rows would do that for next to no work (200 rows: two blocks of 104, not 192 + 8).
        int height = ceilDiv(ceilDiv(m, rowBlocks), MR) * MR;
        return new Split(height, ceilDiv(m, height), columnGroups);
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
            if (cols <= GemmKernel.L && GemmKernel.NARROW) a.narrow(kc, i, p0, bp, bo, acc);
            else a.tile(kc, i, p0, bp, bo, GemmKernel.ZEROS, 0, 0, acc, 0, NR);
            update(acc, i, rows, j, cols, alpha, beta);
        }

        /** The epilogue on {@code c[i .. i+rows, j .. j+cols]} of a heap C ({@link Epilogue#fits}). */
        void finish(Epilogue e, int i, int rows, int j, int cols) {
            for (int r = 0; r < rows; r++) {
                int at = base + (i + r) * ldc + j;
                if (e.bias() != null) VectorKernels.add(heap, at, e.bias(), e.biasOffset() + j, heap, at, cols);
                if (e.gelu()) VectorKernels.gelu(heap, at, heap, at, cols);
            }
        }

        /** {@code c[i .. i+rows, j .. j+cols] = alpha · acc + beta · c}. */
        private void update(float[] acc, int i, int rows, int j, int cols, float alpha, float beta) {
            if (heap != null && rows == MR && cols == NR) {
                GemmKernel.update(acc, heap, base + i * ldc + j, ldc, alpha, beta);
                return;
            }
            if (heap != null) {
                GemmKernel.updateEdge(acc, rows, cols, heap, base + i * ldc + j, ldc, alpha, beta);
                return;
            }
            // Off-heap or strided C: element by element.
            java.lang.foreign.MemorySegment segment = c.segment();
            for (int r = 0; r < rows; r++) {
                long row = c.offset() + (i + r) * c.stride(0) + j * c.stride(1);
                for (int col = 0; col < cols; col++) {
                    long at = row + col * c.stride(1);
                    float old = beta == 0 ? 0f : beta * segment.getAtIndex(Tensor.F32, at);
                    segment.setAtIndex(Tensor.F32, at, old + alpha * acc[r * NR + col]);
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
