package ser.tensor;

/**
 * Where a tensor's elements live. Host storage ({@link #HEAP}, {@link #OFF_HEAP}, {@link #MAPPED}) is a
 * {@link java.lang.foreign.MemorySegment} that any code may read; {@link #DEVICE} storage is a {@link DeviceBuffer}
 * with no host address, which only the backend that allocated it reads ({@link Ops#download} brings it back).
 */
public enum Storage {
    /** A {@code float[]} on the Java heap (the CPU backends' activations). */
    HEAP,
    /** Native memory from an {@link java.lang.foreign.Arena}. */
    OFF_HEAP,
    /** A memory-mapped file (weights). */
    MAPPED,
    /** Memory of an accelerator: no host address; element access throws {@link IllegalStateException}. */
    DEVICE;

    /** Whether host code can read the elements (every kind but {@link #DEVICE}). */
    public boolean isHost() {
        return this != DEVICE;
    }
}
