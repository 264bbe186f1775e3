package ser.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The {@code void** kernelParams} array of cuLaunchKernel: one 8-byte slot per argument holding its value,
 * and an array of pointers to the slots. The kernel's signature decides how many bytes of each slot it reads,
 * so {@code int} arguments must be added with {@link #i}, 64-bit ones ({@code long}, pointers) with
 * {@link #l}/{@link #ptr}.
 */
final class KernelArgs {

    private static final int MAX_ARGS = 16;

    private final MemorySegment slots;
    private final MemorySegment pointers;
    private int count;

    KernelArgs(Arena arena) {
        slots = arena.allocate(8L * MAX_ARGS, 8);
        pointers = arena.allocate(ADDRESS.byteSize() * MAX_ARGS, 8);
    }

    /** A device pointer ({@code CUdeviceptr}, 0 for a null pointer). */
    KernelArgs ptr(long devicePointer) {
        return l(devicePointer);
    }

    KernelArgs l(long value) {
        slot().set(JAVA_LONG, 0, value);
        return this;
    }

    KernelArgs i(int value) {
        slot().set(JAVA_INT, 0, value);
        return this;
    }

    KernelArgs f(float value) {
        slot().set(JAVA_FLOAT, 0, value);
        return this;
    }

    /** An argument passed by value whose bytes are {@code value} (a C struct; it must outlive the launch call). */
    KernelArgs value(MemorySegment value) {
        if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        pointers.setAtIndex(ADDRESS, count++, value);
        return this;
    }

    private MemorySegment slot() {
        if (count == MAX_ARGS) throw new IllegalStateException("more than " + MAX_ARGS + " kernel arguments");
        MemorySegment s = slots.asSlice(8L * count, 8);
        pointers.setAtIndex(ADDRESS, count, s);
        count++;
        return s;
    }

    int count() {
        return count;
    }

    /** The {@code void**} to pass to cuLaunchKernel. */
    MemorySegment array() {
        return pointers;
    }
}
