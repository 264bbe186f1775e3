package ser.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Host ↔ device copies of Java arrays. The driver cannot read the Java heap, so each copy stages through
 * native memory; synchronous, for weights and tests. The hot path stages activations through pinned buffers.
 */
public final class Transfers {

    private Transfers() {}

    public static long upload(Cuda.Device dev, DeviceArena arena, float[] host) {
        long ptr = arena.allocateFloats(host.length);
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocateFrom(JAVA_FLOAT, host);
            dev.driver().copyToDevice(ptr, s, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
        }
        return ptr;
    }

    public static long upload(Cuda.Device dev, DeviceArena arena, int[] host) {
        long ptr = arena.allocate((long) host.length * Integer.BYTES);
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocateFrom(JAVA_INT, host);
            dev.driver().copyToDevice(ptr, s, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
        }
        return ptr;
    }

    public static float[] download(Cuda.Device dev, long ptr, int count) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocate(JAVA_FLOAT, count);
            dev.driver().copyToHost(s, ptr, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
            return s.toArray(JAVA_FLOAT);
        }
    }

    /** Copies {@code host} into the existing device buffer at {@code ptr}. */
    public static void copyIn(Cuda.Device dev, long ptr, float[] host) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocateFrom(JAVA_FLOAT, host);
            dev.driver().copyToDevice(ptr, s, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
        }
    }

    public static void copyIn(Cuda.Device dev, long ptr, int[] host) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocateFrom(JAVA_INT, host);
            dev.driver().copyToDevice(ptr, s, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
        }
    }

    /** A device bf16 array, each value widened to float. */
    public static float[] downloadBf16(Cuda.Device dev, long ptr, int count) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocate(JAVA_SHORT, count);
            dev.driver().copyToHost(s, ptr, s.byteSize(), dev.stream());
            dev.driver().synchronize(dev.stream());
            float[] out = new float[count];
            for (int i = 0; i < count; i++) out[i] = Float.intBitsToFloat((s.getAtIndex(JAVA_SHORT, i) & 0xFFFF) << 16);
            return out;
        }
    }

    /** A float buffer of {@code count} owned by {@code arena}, filled with NaN so that an unwritten element shows. */
    public static long poisoned(Cuda.Device dev, DeviceArena arena, long count) {
        long ptr = arena.allocateFloats(count);
        dev.driver().fill32(ptr, 0x7fc00000, count, dev.stream());
        return ptr;
    }
}
