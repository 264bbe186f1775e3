package ser.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The void** handed to cuLaunchKernel points, in order, at slots holding each argument's value. */
class KernelArgsTest {

    @Test
    void pointersLeadToValuesInOrder() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena).ptr(0x7f00_1234_5678L).i(-3).f(1.5f).l(1L << 40);
            assertEquals(4, args.count());
            MemorySegment array = args.array();
            assertEquals(0x7f00_1234_5678L, slot(array, 0).get(JAVA_LONG, 0));
            assertEquals(-3, slot(array, 1).get(JAVA_INT, 0));
            assertEquals(1.5f, slot(array, 2).get(JAVA_FLOAT, 0));
            assertEquals(1L << 40, slot(array, 3).get(JAVA_LONG, 0));
        }
    }

    @Test
    void refusesTooManyArguments() {
        try (Arena arena = Arena.ofConfined()) {
            KernelArgs args = new KernelArgs(arena);
            for (int i = 0; i < 16; i++) args.i(i);
            assertThrows(IllegalStateException.class, () -> args.i(16));
        }
    }

    private static MemorySegment slot(MemorySegment array, int i) {
        return array.getAtIndex(ADDRESS, i).reinterpret(8);
    }
}
