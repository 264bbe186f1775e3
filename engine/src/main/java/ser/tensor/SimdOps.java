package ser.tensor;

import java.lang.foreign.MemorySegment;

/**
 * The fast CPU backend: {@link Gemm} for matrix products (packed, register-blocked, on all cores of a
 * {@link Parallel} pool) and Vector API loops ({@link VectorKernels}) for everything else.
 *
 * <p>The loops need rows with unit stride. Element-wise operations first merge the axes over which all operands
 * are contiguous ({@link RowWalk}), so whole contiguous tensors run as one loop and a broadcast bias runs row by
 * row; a row-broadcast operand ({@code [T, 1]} against {@code [T, D]}) becomes a scalar loop argument. Views whose
 * last axis is strided (a transpose) go to {@link ScalarOps}, which handles any layout, more slowly. Off-heap
 * tensors take the fast path through a scratch copy ({@link ArrayWindow} says why).
 *
 * <p>GEMM runs on several threads, and so do GELU, exp and log over long contiguous runs (a conv's output), which
 * cost tens of cycles an element, and other element-wise operations and layer norm over large tensors, by ranges
 * of rows; the rest runs on the caller's thread.
 * Instances hold no per-call state and may be shared between threads.
 */
public final class SimdOps implements Ops {

    /** Long rows are processed in chunks so that off-heap scratch copies stay small and in cache. */
    private static final int CHUNK = 8192;
    /** A transcendental function over at least this many elements is shared out; below, dispatch costs more. */
    private static final int PARALLEL_ELEMENTS = 1 << 16;

    private final ScalarOps reference = new ScalarOps();
    private final Parallel parallel;
    private final Gemm gemm;

    /** A backend whose GEMM uses the {@linkplain Parallel#shared shared} pool, one thread per processor. */
    public SimdOps() {
        this(Parallel.shared());
    }

    /** A backend whose GEMM uses {@code parallel}, e.g. {@code new Parallel(1)} for single-threaded work. */
    public SimdOps(Parallel parallel) {
        this.parallel = parallel;
        this.gemm = new Gemm(parallel);
    }

    @Override
    public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        gemm.gemm(alpha, a, b, beta, c);
    }

    @Override
    public PackedMatrix prepack(Tensor b) {
        return gemm.prepack(b);
    }

    @Override
    public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        gemm.gemm(alpha, a, b, beta, c);
    }

    /**
     * The bias and the activation are applied to each tile of the product as it is finished, in L1, where
     * separate passes would read and write all of {@code out} twice more (a feature-encoder conv's output is
     * 10 MB). Element by element the same arithmetic as the unfused form.
     */
    @Override
    public void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        if (!fused(out, bias)) {
            Ops.super.linear(x, w, bias, beta, activation, out);
            return;
        }
        gemm.gemm(1f, x, GemmPacking.NO_DIFFERENCE, w, beta, out, epilogue(bias, activation));
    }

    /**
     * When {@code y} is {@code x} moved along the same heap array (two views of one activation, as a conv computed
     * in pairs of frames takes them), the differences are formed as the GEMM packs A: no pass of their own.
     */
    @Override
    public void linearOfDifference(Tensor x, Tensor y, PackedMatrix w, Tensor bias, float beta, Activation activation,
                                   Tensor out) {
        Shapes.checkSame(x, y);
        boolean shifted = x.heapArray() != null && x.heapArray() == y.heapArray() && java.util.Arrays.equals(x.strides(), y.strides());
        if (!shifted || !fused(out, bias) || w.panels == null || x.dim(1) == 0) {
            Ops.super.linearOfDifference(x, y, w, bias, beta, activation, out);
            return;
        }
        gemm.gemm(1f, x, y.offset() - x.offset(), w, beta, out, epilogue(bias, activation));
    }

    /** Whether {@code out} and {@code bias} take the fused epilogue. */
    private static boolean fused(Tensor out, Tensor bias) {
        return Gemm.Epilogue.fits(out) && (bias == null || (bias.rank() == 1 && bias.dim(0) == out.dim(1) && bias.stride(0) == 1));
    }

    private static Gemm.Epilogue epilogue(Tensor bias, Activation activation) {
        float[] b = null;
        int bo = 0;
        if (bias != null) {
            ArrayWindow window = new ArrayWindow(bias).read(bias.offset(), bias.dim(0));
            b = window.array;
            bo = window.offset;
        }
        return new Gemm.Epilogue(b, bo, activation == Activation.GELU);
    }

    /**
     * Blocked, flash-style ({@link FlashAttention}): a block of keys at a time with an online softmax, on the
     * calling thread (a model runs heads in parallel), never holding the Tq × Tk scores. Layouts it does not take
     * (off-heap, strided rows, a value width not a whole number of vectors) go to the reference.
     */
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        Shapes.checkAttention(q, k, v, keys, out);
        if (q.dim(0) == 0) return;
        if (FlashAttention.fits(q, k, v, out)) FlashAttention.run(q, k, v, keys, scale, out);
        else reference.attention(q, k, v, keys, scale, out);
    }

    // ---- element-wise -------------------------------------------------------------------------------------

    private enum Binary { ADD, SUB, MUL }

    private enum Unary {
        SCALE, ADD_SCALAR, RELU, GELU(true), EXP(true), LOG(true), SQRT;

        final boolean costly;

        Unary() { this(false); }

        Unary(boolean costly) { this.costly = costly; }
    }

    @Override public void add(Tensor a, Tensor b, Tensor out) { if (!binary(Binary.ADD, a, b, out)) reference.add(a, b, out); }

    @Override public void sub(Tensor a, Tensor b, Tensor out) { if (!binary(Binary.SUB, a, b, out)) reference.sub(a, b, out); }

    @Override public void mul(Tensor a, Tensor b, Tensor out) { if (!binary(Binary.MUL, a, b, out)) reference.mul(a, b, out); }

    /** A block copy where both are contiguous (the same bits as the default's multiplication by 1). */
    @Override public void copy(Tensor a, Tensor out) {
        Shapes.checkSame(a, out);
        if (a != out) out.copyFrom(a);
    }

    @Override public void scale(Tensor a, float s, Tensor out) { if (!unary(Unary.SCALE, s, a, out)) reference.scale(a, s, out); }

    @Override public void addScalar(Tensor a, float s, Tensor out) { if (!unary(Unary.ADD_SCALAR, s, a, out)) reference.addScalar(a, s, out); }

    @Override public void relu(Tensor a, Tensor out) { if (!unary(Unary.RELU, 0, a, out)) reference.relu(a, out); }

    @Override public void gelu(Tensor a, Tensor out) { if (!unary(Unary.GELU, 0, a, out)) reference.gelu(a, out); }

    @Override public void exp(Tensor a, Tensor out) { if (!unary(Unary.EXP, 0, a, out)) reference.exp(a, out); }

    @Override public void log(Tensor a, Tensor out) { if (!unary(Unary.LOG, 0, a, out)) reference.log(a, out); }

    @Override public void sqrt(Tensor a, Tensor out) { if (!unary(Unary.SQRT, 0, a, out)) reference.sqrt(a, out); }

    /** Runs a binary operation on the fast path, or returns false when some row is strided. */
    private boolean binary(Binary op, Tensor a, Tensor b, Tensor out) {
        Shapes.checkBinary(a, b, out);
        int[] shape = out.shape();
        Tensor x = a.broadcastTo(shape), y = b.broadcastTo(shape);
        RowWalk rows = RowWalk.elementwise(shape, out, x, y);
        long sa = rows.rowStride(1), sb = rows.rowStride(2);
        if (rows.rowStride(0) != 1 || (sa != 0 && sa != 1) || (sb != 0 && sb != 1) || sa + sb == 0) return false;
        // Slices along the first axis keep the strides checked above.
        if (!byRows(out, (from, to) -> binaryRows(op, x.slice(0, from, to), y.slice(0, from, to), out.slice(0, from, to)))) {
            binaryRows(op, x, y, out);
        }
        return true;
    }

    /** A binary operation over operands of the same shape whose rows have unit (or, for one input, zero) stride. */
    private static void binaryRows(Binary op, Tensor a, Tensor b, Tensor out) {
        RowWalk rows = RowWalk.elementwise(out.shape(), out, a, b);
        long sa = rows.rowStride(1), sb = rows.rowStride(2);
        ArrayWindow o = new ArrayWindow(out), x = new ArrayWindow(a), y = new ArrayWindow(b);
        int length = rows.rowLength();
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            for (int from = 0; from < length; from += CHUNK) {
                int n = Math.min(CHUNK, length - from);
                x.read(rows.offset(1) + from * sa, sa == 0 ? 1 : n);
                y.read(rows.offset(2) + from * sb, sb == 0 ? 1 : n);
                o.write(rows.offset(0) + from, n, false);
                binaryRun(op, x, sa == 0, y, sb == 0, o, n);
                o.commit();
            }
        }
    }

    /** Rows {@code [from, to)} of the first axis. */
    private interface RowRange {
        void run(int from, int to);
    }

    /**
     * Runs {@code part} over ranges of {@code out}'s first axis on the pool, or returns false (and runs nothing)
     * when {@code out} is too small to repay it. For memory-bound operations between GEMMs (a linear layer's bias,
     * a residual sum, a layer norm: 100-500 µs each for a few seconds of audio), which would otherwise leave all
     * threads but one idle.
     */
    private boolean byRows(Tensor out, RowRange part) {
        int threads = parallel.threads();
        if (threads == 1 || out.rank() == 0 || out.dim(0) < 2 || out.size() < PARALLEL_ELEMENTS) return false;
        int rows = out.dim(0), tasks = Math.min(rows, 4 * threads);
        parallel.parallelFor(tasks, t -> part.run((int) ((long) t * rows / tasks), (int) ((long) (t + 1) * rows / tasks)));
        return true;
    }

    /** One run; an input repeated along the row ({@code [T, 1]} against {@code [T, D]}) enters as a scalar. */
    private static void binaryRun(Binary op, ArrayWindow x, boolean xRepeats, ArrayWindow y, boolean yRepeats,
                                  ArrayWindow o, int n) {
        float[] xa = x.array, ya = y.array, oa = o.array;
        int xo = x.offset, yo = y.offset, oo = o.offset;
        switch (op) {
            case ADD -> {
                if (yRepeats) VectorKernels.addScalar(xa, xo, ya[yo], oa, oo, n);
                else if (xRepeats) VectorKernels.addScalar(ya, yo, xa[xo], oa, oo, n);
                else VectorKernels.add(xa, xo, ya, yo, oa, oo, n);
            }
            case SUB -> {
                if (yRepeats) VectorKernels.addScalar(xa, xo, -ya[yo], oa, oo, n);
                else if (xRepeats) VectorKernels.subFromScalar(xa[xo], ya, yo, oa, oo, n);
                else VectorKernels.sub(xa, xo, ya, yo, oa, oo, n);
            }
            case MUL -> {
                if (yRepeats) VectorKernels.scale(xa, xo, ya[yo], oa, oo, n);
                else if (xRepeats) VectorKernels.scale(ya, yo, xa[xo], oa, oo, n);
                else VectorKernels.mul(xa, xo, ya, yo, oa, oo, n);
            }
        }
    }

    /** Runs a unary operation on the fast path, or returns false when some row is strided. */
    private boolean unary(Unary op, float s, Tensor a, Tensor out) {
        Shapes.checkSame(a, out);
        RowWalk rows = RowWalk.elementwise(out.shape(), out, a);
        if (rows.rowStride(0) != 1 || rows.rowStride(1) != 1) return false;
        int length = rows.rowLength();
        if (op.costly && rows.rows() == 1 && length >= PARALLEL_ELEMENTS && parallel.threads() > 1) {
            // One long run: in ranges of chunks, a few per thread so that a slow thread does not hold up the rest.
            long o0 = rows.offset(0), x0 = rows.offset(1);
            int chunks = (length + CHUNK - 1) / CHUNK, tasks = Math.min(chunks, 4 * parallel.threads());
            parallel.parallelFor(tasks, t -> {
                int from = t * chunks / tasks * CHUNK, to = Math.min(length, (t + 1) * chunks / tasks * CHUNK);
                unaryRun(op, s, new ArrayWindow(a), x0 + from, new ArrayWindow(out), o0 + from, to - from);
            });
            return true;
        }
        // Slices along the first axis keep the strides checked above.
        if (!byRows(out, (from, to) -> unaryRows(op, s, a.slice(0, from, to), out.slice(0, from, to)))) unaryRows(op, s, a, out);
        return true;
    }

    /** A unary operation over operands whose rows have unit stride. */
    private static void unaryRows(Unary op, float s, Tensor a, Tensor out) {
        RowWalk rows = RowWalk.elementwise(out.shape(), out, a);
        ArrayWindow o = new ArrayWindow(out), x = new ArrayWindow(a);
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            unaryRun(op, s, x, rows.offset(1), o, rows.offset(0), rows.rowLength());
        }
    }

    /** Segment elements {@code [from, from + n)} of the input into those from {@code to} of the output, by chunks. */
    private static void unaryRun(Unary op, float s, ArrayWindow x, long from, ArrayWindow o, long to, int length) {
        for (int done = 0; done < length; done += CHUNK) {
            int n = Math.min(CHUNK, length - done);
            x.read(from + done, n);
            o.write(to + done, n, false);
            float[] xa = x.array, oa = o.array;
            int xo = x.offset, oo = o.offset;
            switch (op) {
                case SCALE -> VectorKernels.scale(xa, xo, s, oa, oo, n);
                case ADD_SCALAR -> VectorKernels.addScalar(xa, xo, s, oa, oo, n);
                case RELU -> VectorKernels.relu(xa, xo, oa, oo, n);
                case GELU -> VectorKernels.gelu(xa, xo, oa, oo, n);
                case EXP -> VectorKernels.exp(xa, xo, oa, oo, n);
                case LOG -> VectorKernels.log(xa, xo, oa, oo, n);
                case SQRT -> VectorKernels.sqrt(xa, xo, oa, oo, n);
            }
            o.commit();
        }
    }

    // ---- reductions ---------------------------------------------------------------------------------------

    private enum Reduction { SUM, MEAN, MAX }

    @Override public void sum(Tensor a, Tensor out) { if (!reduce(Reduction.SUM, a, out)) reference.sum(a, out); }

    @Override public void mean(Tensor a, Tensor out) { if (!reduce(Reduction.MEAN, a, out)) reference.mean(a, out); }

    @Override public void max(Tensor a, Tensor out) { if (!reduce(Reduction.MAX, a, out)) reference.max(a, out); }

    private static boolean reduce(Reduction op, Tensor a, Tensor out) {
        Tensor perRow = Shapes.reducedView(a, out);
        RowWalk rows = RowWalk.lastAxis(a, perRow);
        if (rows.rowStride(0) != 1) return false;
        ArrayWindow x = new ArrayWindow(a), o = new ArrayWindow(perRow);
        int n = rows.rowLength();
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            x.read(rows.offset(0), n);
            float v = switch (op) {
                case SUM -> VectorKernels.sum(x.array, x.offset, n);
                case MEAN -> VectorKernels.sum(x.array, x.offset, n) / n;
                case MAX -> VectorKernels.max(x.array, x.offset, n);
            };
            o.write(rows.offset(1), 1, false);
            o.array[o.offset] = v;
            o.commit();
        }
        return true;
    }

    @Override
    public void argmax(Tensor a, int[] out) {
        Shapes.requireLastAxis(a);
        RowWalk rows = RowWalk.lastAxis(a);
        if (rows.rowStride(0) != 1 || out.length != rows.rows()) {
            reference.argmax(a, out); // strided rows, or a wrong out.length for the reference to report
            return;
        }
        ArrayWindow x = new ArrayWindow(a);
        int n = rows.rowLength();
        for (int r = 0; r < out.length; r++, rows.next()) {
            x.read(rows.offset(0), n);
            out[r] = VectorKernels.argmax(x.array, x.offset, n);
        }
    }

    @Override
    public float sumAll(Tensor a) {
        RowWalk rows = RowWalk.elementwise(a.shape(), a);
        if (rows.rowStride(0) != 1) return reference.sumAll(a);
        ArrayWindow x = new ArrayWindow(a);
        double total = 0; // rows are summed in float lanes, the (few) row sums in double
        int length = rows.rowLength();
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            for (int from = 0; from < length; from += CHUNK) {
                int n = Math.min(CHUNK, length - from);
                x.read(rows.offset(0) + from, n);
                total += VectorKernels.sum(x.array, x.offset, n);
            }
        }
        return (float) total;
    }

    // ---- row-wise -----------------------------------------------------------------------------------------

    @Override
    public void softmax(Tensor a, Tensor out) {
        if (!rowWise(a, out, false)) reference.softmax(a, out);
    }

    @Override
    public void logSoftmax(Tensor a, Tensor out) {
        if (!rowWise(a, out, true)) reference.logSoftmax(a, out);
    }

    /** Softmax or log-softmax over unit-stride rows; false when a row is strided. */
    private static boolean rowWise(Tensor a, Tensor out, boolean log) {
        Shapes.checkSame(a, out);
        Shapes.requireLastAxis(a);
        RowWalk rows = RowWalk.lastAxis(out, a);
        if (rows.rowStride(0) != 1 || rows.rowStride(1) != 1) return false;
        ArrayWindow o = new ArrayWindow(out), x = new ArrayWindow(a);
        int n = rows.rowLength();
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            x.read(rows.offset(1), n);
            o.write(rows.offset(0), n, false);
            float max = VectorKernels.max(x.array, x.offset, n);
            if (log) {
                float sum = VectorKernels.expShiftedSum(x.array, x.offset, max, n);
                VectorKernels.addScalar(x.array, x.offset, -(max + (float) Math.log(sum)), o.array, o.offset, n);
            } else {
                float sum = VectorKernels.expShiftedSum(x.array, x.offset, max, o.array, o.offset, n);
                VectorKernels.scale(o.array, o.offset, 1f / sum, o.array, o.offset, n);
            }
            o.commit();
        }
        return true;
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        Shapes.checkSame(x, out);
        Shapes.requireLastAxis(x);
        int n = x.dim(-1);
        Shapes.checkVector(gamma, n, "gamma");
        Shapes.checkVector(beta, n, "beta");
        RowWalk rows = RowWalk.lastAxis(out, x);
        boolean unitAffine = (gamma == null || n == 1 || gamma.stride(0) == 1) && (beta == null || n == 1 || beta.stride(0) == 1);
        if (rows.rowStride(0) != 1 || rows.rowStride(1) != 1 || !unitAffine) {
            reference.layerNorm(x, gamma, beta, eps, out);
            return;
        }
        if (x.rank() < 2 || !byRows(out, (from, to) -> layerNormRows(x.slice(0, from, to), gamma, beta, eps, out.slice(0, from, to)))) {
            layerNormRows(x, gamma, beta, eps, out);
        }
    }

    /** Layer norm of unit-stride rows. */
    private static void layerNormRows(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        int n = x.dim(-1);
        RowWalk rows = RowWalk.lastAxis(out, x);
        ArrayWindow g = gamma == null ? null : new ArrayWindow(gamma).read(gamma.offset(), n);
        ArrayWindow b = beta == null ? null : new ArrayWindow(beta).read(beta.offset(), n);
        ArrayWindow o = new ArrayWindow(out), in = new ArrayWindow(x);
        for (long r = 0; r < rows.rows(); r++, rows.next()) {
            in.read(rows.offset(1), n);
            o.write(rows.offset(0), n, false);
            float mean = VectorKernels.sum(in.array, in.offset, n) / n;
            float variance = VectorKernels.sumSquaredDeviations(in.array, in.offset, mean, n) / n;
            float rstd = (float) (1 / Math.sqrt(variance + eps));
            VectorKernels.normalize(in.array, in.offset, mean, rstd, g == null ? null : g.array, g == null ? 0 : g.offset,
                    b == null ? null : b.array, b == null ? 0 : b.offset, o.array, o.offset, n);
            o.commit();
        }
    }

    // ---- sequences ----------------------------------------------------------------------------------------

    /**
     * Memory-bound: each contiguous sequence is one bulk copy of its valid rows (none in place) and one fill of
     * its padded ones, through the segment whatever its host storage. Strided sequences go to the reference.
     */
    @Override
    public void maskRows(Tensor x, int[] lengths, Tensor out) {
        Shapes.checkMaskRows(x, lengths, out);
        for (int b = 0; b < lengths.length; b++) {
            Tensor from = x.select(0, b), to = out.select(0, b);
            if (!from.isContiguous() || !to.isContiguous()) {
                reference.maskRows(x.slice(0, b, b + 1), new int[] {lengths[b]}, out.slice(0, b, b + 1));
                continue;
            }
            long row = to.size() / Math.max(1, to.dim(0)), valid = lengths[b] * row;
            MemorySegment o = to.segment();
            if (from.segment() != o || from.offset() != to.offset()) {
                MemorySegment.copy(from.segment(), from.offset() * Float.BYTES, o, to.offset() * Float.BYTES, valid * Float.BYTES);
            }
            o.asSlice((to.offset() + valid) * Float.BYTES, (to.size() - valid) * Float.BYTES).fill((byte) 0);
        }
    }

    /** Two fills and a bulk copy ({@link Tensor#copyFrom}) when {@code out} is contiguous; else the reference. */
    @Override
    public void padRows(Tensor x, int before, Tensor out) {
        Shapes.checkPadRows(x, before, out);
        if (!out.isContiguous()) {
            reference.padRows(x, before, out);
            return;
        }
        long row = out.size() / Math.max(1, out.dim(0)), after = before + (long) x.dim(0);
        MemorySegment o = out.segment();
        o.asSlice(out.offset() * Float.BYTES, before * row * Float.BYTES).fill((byte) 0);
        o.asSlice((out.offset() + after * row) * Float.BYTES, (out.dim(0) - after) * row * Float.BYTES).fill((byte) 0);
        out.slice(0, before, before + x.dim(0)).copyFrom(x);
    }

    /**
     * Windows are short (HuBERT's first conv: 10 samples), too short for vectors to pay: a plain loop over the
     * arrays of heap operands, which is what the reference does without its index arithmetic.
     */
    @Override
    public void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        Shapes.checkFrameWindows(signal, kernel, stride, out);
        float[] in = signal.heapArray(), o = out.heapArray();
        if (in == null || o == null || signal.stride(0) != 1 || out.stride(1) != 1) {
            reference.frameWindows(signal, kernel, stride, shift, out);
            return;
        }
        int frames = out.dim(0), width = out.dim(1), i0 = signal.heapOffset(), o0 = out.heapOffset();
        long rowStride = out.stride(0);
        for (int t = 0; t < frames; t++) {
            int r = Math.toIntExact(o0 + t * rowStride), s = i0 + t * stride;
            for (int j = 0; j < kernel; j++) o[r + j] = in[s + j] - shift;
            if (width > kernel) o[r + kernel] = 1f;
        }
    }
}
