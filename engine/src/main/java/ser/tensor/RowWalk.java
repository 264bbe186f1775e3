package ser.tensor;

import java.util.Arrays;

/**
 * Walks the rows of one or more tensors in step, keeping each operand's element offset, so that a kernel can
 * run along each row. Operand 0 is the output by convention; all operands share the walked shape (broadcast
 * operands come as {@link Tensor#broadcastTo} views, with stride 0 where they repeat).
 *
 * <p>{@link #elementwise} merges neighbouring axes wherever every operand is contiguous across them, so that
 * contiguous tensors are one long row and a bias added to {@code [B, T, D]} walks {@code B·T} rows of {@code D}.
 * {@link #lastAxis} keeps the last axis as the row (softmax, layer norm, reductions) and merges only the others.
 */
final class RowWalk {

    private final int[] dims;          // outer (row-counting) axes, outermost first
    private final long[][] strides;    // [operand][outer axis]
    private final int[] index;
    private final long[] offset;       // current row start, per operand
    private final long[] rowStride;    // along the row, per operand
    private final int rowLength;
    private final long rows;

    private RowWalk(int[] dims, long[][] strides, long[] start, int rowLength, long[] rowStride) {
        this.dims = dims;
        this.strides = strides;
        this.index = new int[dims.length];
        this.offset = start;
        this.rowLength = rowLength;
        this.rowStride = rowStride;
        long n = 1;
        for (int d : dims) n *= d;
        this.rows = n;
    }

    /** Rows for an element-wise operation over {@code shape}: axes merged as far as the strides allow. */
    static RowWalk elementwise(int[] shape, Tensor... operands) {
        int ops = operands.length;
        // Drop size-1 axes, then fold each axis into its inner neighbour where every operand is contiguous across.
        int[] d = new int[shape.length];
        long[][] s = new long[ops][shape.length];
        int rank = 0;
        for (int axis = 0; axis < shape.length; axis++) {
            if (shape[axis] == 1) continue;
            boolean foldIntoPrevious = rank > 0;
            for (int op = 0; op < ops && foldIntoPrevious; op++) {
                foldIntoPrevious = s[op][rank - 1] == operands[op].stride(axis) * shape[axis];
            }
            if (foldIntoPrevious) {
                d[rank - 1] *= shape[axis];
                for (int op = 0; op < ops; op++) s[op][rank - 1] = operands[op].stride(axis);
            } else {
                d[rank] = shape[axis];
                for (int op = 0; op < ops; op++) s[op][rank] = operands[op].stride(axis);
                rank++;
            }
        }
        long[] rowStride = new long[ops];
        if (rank == 0) { // a single element: any stride will do
            Arrays.fill(rowStride, 1);
            return new RowWalk(new int[0], new long[ops][0], offsets(operands), 1, rowStride);
        }
        long[][] outer = new long[ops][];
        for (int op = 0; op < ops; op++) {
            rowStride[op] = s[op][rank - 1];
            outer[op] = Arrays.copyOf(s[op], rank - 1);
        }
        return new RowWalk(Arrays.copyOf(d, rank - 1), outer, offsets(operands), d[rank - 1], rowStride);
    }

    /**
     * Rows along the last axis of {@code operands[0]} (the widest operand). An operand of one rank less (a
     * reduction's output) has one element per row: row stride 0.
     */
    static RowWalk lastAxis(Tensor... operands) {
        Tensor full = operands[0];
        for (Tensor t : operands) if (t.rank() > full.rank()) full = t;
        int outerRank = full.rank() - 1;
        int ops = operands.length;
        long[][] s = new long[ops][outerRank];
        long[] rowStride = new long[ops];
        for (int op = 0; op < ops; op++) {
            for (int axis = 0; axis < outerRank; axis++) s[op][axis] = operands[op].stride(axis);
            rowStride[op] = operands[op].rank() > outerRank ? operands[op].stride(-1) : 0;
        }
        int[] outerShape = Arrays.copyOf(full.shape(), outerRank);
        return new RowWalk(outerShape, s, offsets(operands), full.dim(-1), rowStride);
    }

    private static long[] offsets(Tensor[] operands) {
        long[] o = new long[operands.length];
        for (int op = 0; op < o.length; op++) o[op] = operands[op].offset();
        return o;
    }

    long rows() { return rows; }

    int rowLength() { return rowLength; }

    /** Stride of {@code operand} along the row: 1 for a contiguous row, 0 for a value repeated along it. */
    long rowStride(int operand) { return rowLength == 1 ? 1 : rowStride[operand]; }

    /** Segment offset, in elements, of the current row's first element in {@code operand}. */
    long offset(int operand) { return offset[operand]; }

    /** Moves to the next row (row-major order). */
    void next() {
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            for (int op = 0; op < offset.length; op++) offset[op] += strides[op][axis];
            if (++index[axis] < dims[axis]) return;
            index[axis] = 0;
            for (int op = 0; op < offset.length; op++) offset[op] -= strides[op][axis] * dims[axis];
        }
    }
}
