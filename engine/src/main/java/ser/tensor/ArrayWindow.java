package ser.tensor;

import java.lang.foreign.MemorySegment;

/**
 * A run of consecutive elements of a tensor's memory, presented as a range of a {@code float[]}: the tensor's own
 * array for heap tensors, a scratch copy for off-heap and mapped ones.
 *
 * <p>Why the SIMD kernels only ever see arrays: {@code FloatVector.fromMemorySegment} accepts {@code float[]}-backed
 * heap segments in JDK 25, but once one process has loaded vectors from both heap and native segments, the shared
 * access path turns megamorphic and every segment load slows down five- to tenfold (measured on JDK 25 with AVX-512).
 * {@code fromArray} stays fast, and copying an off-heap run into scratch is a bulk copy that costs far less.
 *
 * <p>A window belongs to one thread and is reused from run to run; the scratch array only grows.
 */
final class ArrayWindow {

    private final MemorySegment segment;
    private final float[] heap;
    private final int heapBase;
    private float[] scratch = new float[0];
    private long pendingStart = -1;
    private int pendingLength;

    /** The array holding the current run; valid until the next {@link #read} or {@link #write}. */
    float[] array;
    /** Index of the run's first element in {@link #array}. */
    int offset;

    ArrayWindow(Tensor t) {
        this.segment = t.segment();
        this.heap = t.heapArray();
        // Element e of the segment (counted as the tensor counts offsets) sits at heap[heapBase + e].
        this.heapBase = heap == null ? 0 : t.heapOffset() - Math.toIntExact(t.offset());
    }

    boolean isHeap() { return heap != null; }

    /** Makes segment elements {@code [start, start + n)} readable at {@code array[offset ...]}. */
    ArrayWindow read(long start, int n) {
        if (heap != null) {
            array = heap;
            offset = heapBase + (int) start;
        } else {
            array = scratch(n);
            offset = 0;
            MemorySegment.copy(segment, Tensor.F32, start * Float.BYTES, array, 0, n);
        }
        return this;
    }

    /**
     * Makes segment elements {@code [start, start + n)} writable at {@code array[offset ...]}; call {@link #commit}
     * once the run is written. {@code reads} says whether the caller also reads the old values (accumulation).
     */
    ArrayWindow write(long start, int n, boolean reads) {
        if (heap != null) return read(start, n);
        if (reads) read(start, n);
        else {
            array = scratch(n);
            offset = 0;
        }
        pendingStart = start;
        pendingLength = n;
        return this;
    }

    /** Copies a written scratch run back to off-heap memory; nothing to do on the heap. */
    void commit() {
        if (pendingStart < 0) return;
        MemorySegment.copy(scratch, 0, segment, Tensor.F32, pendingStart * Float.BYTES, pendingLength);
        pendingStart = -1;
    }

    private float[] scratch(int n) {
        if (scratch.length < n) scratch = new float[Math.max(n, 2 * scratch.length)];
        return scratch;
    }
}
