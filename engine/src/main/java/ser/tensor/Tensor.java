package ser.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A float32 tensor: a strided view over its {@linkplain #storage() storage}.
 *
 * <p>Host storage is a {@link MemorySegment}: on the heap (backed by a {@code float[]}, the CPU backends'
 * activations), off the heap (an {@link Arena} allocation) or in a memory-mapped file (weights). Device storage
 * is a {@link DeviceBuffer} with no host address: such a tensor has geometry only, and {@link #segment()},
 * element access and copies throw {@link IllegalStateException}; only the backend that owns the buffer reads it.
 * Views ({@link #slice}, {@link #select}, {@link #transpose}, {@link #reshape} of a contiguous tensor,
 * {@link #strided}) share the storage and never copy, whatever its kind.
 *
 * <p>Offsets and strides are counted in elements, not bytes.
 */
public final class Tensor {

    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** The host memory, or null for device storage. Kernels read it through {@link #segment()}, one check a call. */
    private final MemorySegment segment;
    /** The device memory, or null for host storage. */
    private final DeviceBuffer device;
    private final long offset;
    private final int[] shape;
    private final long[] strides;

    private Tensor(MemorySegment segment, long offset, int[] shape, long[] strides) {
        this(segment, null, offset, shape, strides);
    }

    private Tensor(MemorySegment segment, DeviceBuffer device, long offset, int[] shape, long[] strides) {
        this.segment = segment;
        this.device = device;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A view of the same storage (host or device) with new geometry. */
    private Tensor sameStorage(long offset, int[] shape, long[] strides) {
        return new Tensor(segment, device, offset, shape, strides);
    }

    // ---- construction -------------------------------------------------------------------------------------

    /** A new zero-filled tensor on the heap. */
    public static Tensor zeros(int... shape) {
        return wrap(new float[Math.toIntExact(count(shape))], shape);
    }

    /** A new zero-filled tensor off the heap, freed with {@code arena}; 64-byte aligned for SIMD loads. */
    public static Tensor zeros(Arena arena, int... shape) {
        long n = count(shape);
        return new Tensor(arena.allocate(n * Float.BYTES, 64), 0, shape.clone(), contiguousStrides(shape));
    }

    /** A tensor over {@code data} (no copy); {@code data.length} must equal the element count. */
    public static Tensor wrap(float[] data, int... shape) {
        if (count(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                    + " elements, array has " + data.length);
        }
        return new Tensor(MemorySegment.ofArray(data), 0, shape.clone(), contiguousStrides(shape));
    }

    /** A contiguous tensor over {@code segment} starting at element {@code offset} (no copy). */
    public static Tensor wrap(MemorySegment segment, long offset, int... shape) {
        long n = count(shape);
        if ((offset + n) * Float.BYTES > segment.byteSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " at offset " + offset
                    + " runs past the segment (" + segment.byteSize() + " bytes)");
        }
        return new Tensor(segment, offset, shape.clone(), contiguousStrides(shape));
    }

    /**
     * A contiguous tensor over device memory, starting at element {@code offset}: for a device backend's
     * {@link Ops#zeros}; no host code can read it.
     */
    public static Tensor onDevice(DeviceBuffer buffer, long offset, int... shape) {
        long n = count(shape);
        if ((offset + n) * Float.BYTES > buffer.byteSize()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " at offset " + offset
                    + " runs past the device buffer (" + buffer.byteSize() + " bytes)");
        }
        return new Tensor(null, buffer, offset, shape.clone(), contiguousStrides(shape));
    }

    /** A strided view over {@code segment}; the caller vouches that every addressed element lies inside it. */
    public static Tensor view(MemorySegment segment, long offset, int[] shape, long[] strides) {
        if (shape.length != strides.length) throw new IllegalArgumentException("shape and strides differ in rank");
        return new Tensor(segment, offset, shape.clone(), strides.clone());
    }

    // ---- geometry -----------------------------------------------------------------------------------------

    public int rank() { return shape.length; }

    public int dim(int axis) { return shape[axis < 0 ? shape.length + axis : axis]; }

    public int[] shape() { return shape.clone(); }

    public long[] strides() { return strides.clone(); }

    public long stride(int axis) { return strides[axis < 0 ? strides.length + axis : axis]; }

    public long size() { return count(shape); }

    /** Offset of element 0 in the storage (segment or device buffer), in elements. */
    public long offset() { return offset; }

    /** Where the elements live. */
    public Storage storage() {
        if (segment == null) return Storage.DEVICE;
        if (!segment.isNative()) return Storage.HEAP;
        return segment.isMapped() ? Storage.MAPPED : Storage.OFF_HEAP;
    }

    /** Whether host code can read the elements: {@code storage().isHost()}, without the classification. */
    public boolean isHost() { return segment != null; }

    /** The host memory; throws {@link IllegalStateException} for device storage, which has no host address. */
    public MemorySegment segment() {
        if (segment == null) throw onDevice();
        return segment;
    }

    /** The device memory of a {@link Storage#DEVICE} tensor, else {@code null}. */
    public DeviceBuffer deviceBuffer() { return device; }

    private IllegalStateException onDevice() {
        return new IllegalStateException(this + " lives on " + device.device() + " and has no host address: only "
                + device.backend().getClass().getSimpleName() + " reads it (Ops.download brings it to the host)");
    }

    /**
     * The backing {@code float[]} when this tensor lives on the heap over a float array, else {@code null}
     * (off-heap, mapped, device). Element 0 of the tensor is {@code heapArray()[heapOffset()]}.
     */
    public float[] heapArray() {
        // A heap segment's address is its byte offset into the array; a misaligned one cannot be read as floats.
        return segment != null && segment.heapBase().orElse(null) instanceof float[] a
                && segment.address() % Float.BYTES == 0 ? a : null;
    }

    /** Index of element 0 in {@link #heapArray()}: this view's offset plus where the segment starts in the array. */
    public int heapOffset() {
        return Math.toIntExact(segment().address() / Float.BYTES + offset);
    }

    public boolean isContiguous() {
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expect) return false;
            expect *= shape[i];
        }
        return true;
    }

    // ---- element access (for references and tests; kernels work on segments or arrays) --------------------

    public float get(int... index) { return segment().getAtIndex(F32, elementOffset(index)); }

    public void set(float value, int... index) { segment().setAtIndex(F32, elementOffset(index), value); }

    /** Element at flat position {@code i} of a contiguous tensor. */
    public float getFlat(long i) { return segment().getAtIndex(F32, offset + i); }

    public void setFlat(long i, float value) { segment().setAtIndex(F32, offset + i, value); }

    private long elementOffset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for tensor of rank " + shape.length);
        }
        long o = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside " + Arrays.toString(shape));
            }
            o += index[i] * strides[i];
        }
        return o;
    }

    // ---- views --------------------------------------------------------------------------------------------

    /** Elements {@code [start, end)} along {@code axis}; shares memory. */
    public Tensor slice(int axis, int start, int end) {
        axis = axis < 0 ? shape.length + axis : axis;
        if (start < 0 || end > shape[axis] || start > end) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") of axis of size " + shape[axis]);
        }
        int[] s = shape.clone();
        s[axis] = end - start;
        return sameStorage(offset + start * strides[axis], s, strides.clone());
    }

    /** Index {@code i} along {@code axis}, dropping that axis; shares memory. */
    public Tensor select(int axis, int i) {
        axis = axis < 0 ? shape.length + axis : axis;
        if (i < 0 || i >= shape[axis]) throw new IndexOutOfBoundsException(i + " outside axis of size " + shape[axis]);
        int[] s = new int[shape.length - 1];
        long[] st = new long[shape.length - 1];
        for (int a = 0, j = 0; a < shape.length; a++) {
            if (a == axis) continue;
            s[j] = shape[a];
            st[j++] = strides[a];
        }
        return sameStorage(offset + i * strides[axis], s, st);
    }

    /** Swaps two axes; shares memory (the result is usually not contiguous). */
    public Tensor transpose(int a, int b) {
        a = a < 0 ? shape.length + a : a;
        b = b < 0 ? shape.length + b : b;
        int[] s = shape.clone();
        long[] st = strides.clone();
        s[a] = shape[b]; s[b] = shape[a];
        st[a] = strides[b]; st[b] = strides[a];
        return sameStorage(offset, s, st);
    }

    /**
     * This tensor seen with {@code shape} under NumPy broadcasting: trailing axes line up, and an axis of size 1
     * (or a missing leading axis) repeats with stride 0. Shares memory; writing through the view is unwise.
     */
    public Tensor broadcastTo(int... target) {
        if (target.length < shape.length) throw new IllegalArgumentException(cannotBroadcast(target));
        long[] st = new long[target.length];
        int lead = target.length - shape.length;
        for (int a = 0; a < shape.length; a++) {
            if (shape[a] == target[lead + a]) st[lead + a] = strides[a];
            else if (shape[a] != 1) throw new IllegalArgumentException(cannotBroadcast(target));
        }
        return sameStorage(offset, target.clone(), st);
    }

    /**
     * A view of this tensor's storage, whatever its kind, with any geometry: element {@code index} is at
     * {@code offset + Σ index[i]·strides[i]} of the storage (not of this view). Overlapping rows are how a conv
     * reads its windows in place. The caller vouches that every addressed element lies inside the storage.
     */
    public Tensor strided(long offset, int[] shape, long[] strides) {
        if (shape.length != strides.length) throw new IllegalArgumentException("shape and strides differ in rank");
        return sameStorage(offset, shape.clone(), strides.clone());
    }

    private String cannotBroadcast(int[] target) {
        return "cannot broadcast " + Arrays.toString(shape) + " to " + Arrays.toString(target);
    }

    /** Same elements under a new shape; a view when contiguous, else a contiguous copy first. One dim may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("more than one -1 in " + Arrays.toString(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) s[infer] = Math.toIntExact(size() / Math.max(known, 1));
        if (count(s) != size()) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        Tensor base = isContiguous() ? this : contiguous();
        return base.sameStorage(base.offset, s, contiguousStrides(s));
    }

    /** This tensor if contiguous, else a contiguous heap copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous heap copy. */
    public Tensor copy() {
        return wrap(toArray(), shape);
    }

    /** Copies {@code src} (same shape, any strides) into this tensor. */
    public void copyFrom(Tensor src) {
        if (!Arrays.equals(shape, src.shape)) {
            throw new IllegalArgumentException("copy of " + Arrays.toString(src.shape) + " into " + Arrays.toString(shape));
        }
        if (!isHost() || !src.isHost()) {
            throw new IllegalStateException("copy between " + storage() + " and " + src.storage()
                    + " storage: a device tensor is copied by its backend (Ops.upload, Ops.download)");
        }
        if (isContiguous() && src.isContiguous()) {
            MemorySegment.copy(src.segment, src.offset * Float.BYTES, segment, offset * Float.BYTES, size() * Float.BYTES);
            return;
        }
        RowWalk rows = RowWalk.elementwise(shape, this, src);
        if (rows.rowStride(0) == 1 && rows.rowStride(1) == 1) { // slices of rows: a bulk copy per run
            for (long r = 0; r < rows.rows(); r++, rows.next()) {
                MemorySegment.copy(src.segment, rows.offset(1) * Float.BYTES, segment, rows.offset(0) * Float.BYTES,
                        (long) rows.rowLength() * Float.BYTES);
            }
            return;
        }
        int[] idx = new int[shape.length];
        for (long n = size(), k = 0; k < n; k++) {
            set(src.get(idx), idx);
            increment(idx, shape);
        }
    }

    /** The elements in row-major order, as a new array. */
    public float[] toArray() {
        if (segment == null) throw onDevice();
        float[] out = new float[Math.toIntExact(size())];
        if (isContiguous()) {
            MemorySegment.copy(segment, F32, offset * Float.BYTES, out, 0, out.length);
            return out;
        }
        int[] idx = new int[shape.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = get(idx);
            increment(idx, shape);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape) + (isContiguous() ? "" : " strides " + Arrays.toString(strides))
                + (segment == null ? " on " + device.device() : "");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    public static long count(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            n *= d;
        }
        return n;
    }

    static long[] contiguousStrides(int[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** Row-major odometer step over {@code shape}. */
    static void increment(int[] idx, int[] shape) {
        for (int a = idx.length - 1; a >= 0; a--) {
            if (++idx[a] < shape[a]) return;
            idx[a] = 0;
        }
    }
}
