package ser.cuda;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The layout of one element-wise launch: an operation, its scalar, and the shape and element strides of x, y and
 * out, broadcast to out's shape (stride 0 along a stretched axis) and with runs of axes that step together merged
 * into one, so that most launches are rank 1 or 2. Passed to {@code strided_map} by value, as the C struct
 * {@code StridedMap} of strided_map.cu ({@link #LAYOUT} mirrors it). Pure arithmetic, tested without a GPU.
 */
record StridedMap(int op, float scalar, long[] shape, long[] x, long[] y, long[] out) {

    /** The most axes a launch takes after merging (MAX_RANK in strided_map.cu). */
    static final int MAX_RANK = 6;

    /** Operations, as numbered in strided_map.cu; binary ones read y. */
    static final int COPY = 0, ADD = 1, SUB = 2, MUL = 3, SCALE = 4, ADD_SCALAR = 5, RELU = 6, GELU = 7, EXP = 8,
            LOG = 9, SQRT = 10, ADD_GELU = 11;

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG).withName("shape"),
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG).withName("x"),
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG).withName("y"),
            MemoryLayout.sequenceLayout(MAX_RANK, JAVA_LONG).withName("out"),
            JAVA_LONG.withName("n"),
            JAVA_INT.withName("rank"),
            JAVA_INT.withName("op"),
            JAVA_FLOAT.withName("scalar"),
            MemoryLayout.paddingLayout(4));

    static boolean binary(int op) {
        return op == ADD || op == SUB || op == MUL || op == ADD_GELU;
    }

    /** Elements of the launch. */
    long count() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    int rank() {
        return shape.length;
    }

    /**
     * The launch for {@code out = op(x, y)}: {@code outShape} and {@code outStrides} as out's; x's and y's shapes are
     * broadcast to it (y's may be null for a unary op).
     */
    static StridedMap of(int op, float scalar, int[] outShape, long[] outStrides, int[] xShape, long[] xStrides,
                         int[] yShape, long[] yStrides) {
        int rank = outShape.length;
        long[] sx = broadcast(xShape, xStrides, outShape);
        long[] sy = yShape == null ? new long[rank] : broadcast(yShape, yStrides, outShape);
        long[] so = outStrides.clone();
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) shape[i] = outShape[i];
        return merged(op, scalar, shape, sx, sy, so);
    }

    /** {@code in}'s strides as seen from {@code outShape}: trailing axes line up, a size-1 or missing axis steps 0. */
    static long[] broadcast(int[] inShape, long[] inStrides, int[] outShape) {
        long[] s = new long[outShape.length];
        for (int i = 1; i <= outShape.length; i++) {
            int a = inShape.length - i;
            if (a < 0) continue;
            int d = inShape[a];
            if (d != outShape[outShape.length - i] && d != 1) {
                throw new IllegalArgumentException(Arrays.toString(inShape) + " does not broadcast to " + Arrays.toString(outShape));
            }
            s[outShape.length - i] = d == 1 ? 0 : inStrides[a];
        }
        return s;
    }

    /**
     * Drops axes of size 1 and merges axis i into axis i + 1 wherever, for x, y and out alike, stepping once along
     * i is stepping dim(i + 1) times along i + 1.
     */
    private static StridedMap merged(int op, float scalar, long[] shape, long[] x, long[] y, long[] out) {
        int rank = shape.length;
        long[] ms = new long[rank], mx = new long[rank], my = new long[rank], mo = new long[rank];
        int r = 0;
        for (int i = 0; i < rank; i++) {
            if (shape[i] == 1) continue;
            if (r > 0) {
                int p = r - 1;
                if (mx[p] == x[i] * shape[i] && my[p] == y[i] * shape[i] && mo[p] == out[i] * shape[i]) {
                    ms[p] *= shape[i];
                    mx[p] = x[i];
                    my[p] = y[i];
                    mo[p] = out[i];
                    continue;
                }
            }
            ms[r] = shape[i];
            mx[r] = x[i];
            my[r] = y[i];
            mo[r] = out[i];
            r++;
        }
        if (r == 0) {  // a single element
            return new StridedMap(op, scalar, new long[] {1}, new long[1], new long[1], new long[1]);
        }
        if (r > MAX_RANK) {
            throw new IllegalArgumentException("an element-wise launch of " + r + " axes that do not merge (at most " + MAX_RANK + ")");
        }
        return new StridedMap(op, scalar, Arrays.copyOf(ms, r), Arrays.copyOf(mx, r), Arrays.copyOf(my, r), Arrays.copyOf(mo, r));
    }

    /** The C struct's bytes, for a kernel parameter passed by value. */
    void writeTo(MemorySegment struct) {
        struct.fill((byte) 0);
        long axis = JAVA_LONG.byteSize();
        for (int i = 0; i < rank(); i++) {
            struct.set(JAVA_LONG, i * axis, shape[i]);
            struct.set(JAVA_LONG, (MAX_RANK + i) * axis, x[i]);
            struct.set(JAVA_LONG, (2 * MAX_RANK + i) * axis, y[i]);
            struct.set(JAVA_LONG, (3 * MAX_RANK + i) * axis, out[i]);
        }
        struct.set(JAVA_LONG, 4 * MAX_RANK * axis, count());
        struct.set(JAVA_INT, 4 * MAX_RANK * axis + 8, rank());
        struct.set(JAVA_INT, 4 * MAX_RANK * axis + 12, op);
        struct.set(JAVA_FLOAT, 4 * MAX_RANK * axis + 16, scalar);
    }

    @Override public String toString() {
        return "StridedMap[op " + op + ", shape " + Arrays.toString(shape) + ", x " + Arrays.toString(x) + ", y "
                + Arrays.toString(y) + ", out " + Arrays.toString(out) + "]";
    }
}
