package ser.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launch layout of strided_map: broadcasting, merging of axes that step together, and the C struct's bytes. */
class StridedMapTest {

    @Test
    void contiguousTensorsOfAnyRankMergeIntoOneAxis() {
        StridedMap m = StridedMap.of(StridedMap.ADD, 0f, new int[] {2, 3, 4}, new long[] {12, 4, 1},
                new int[] {2, 3, 4}, new long[] {12, 4, 1}, new int[] {2, 3, 4}, new long[] {12, 4, 1});
        assertArrayEquals(new long[] {24}, m.shape());
        assertArrayEquals(new long[] {1}, m.x());
        assertEquals(24, m.count());
    }

    @Test
    void aBiasBroadcastAlongRowsStepsZeroAlongThem() {
        StridedMap m = StridedMap.of(StridedMap.ADD, 0f, new int[] {5, 7}, new long[] {7, 1},
                new int[] {5, 7}, new long[] {7, 1}, new int[] {7}, new long[] {1});
        assertArrayEquals(new long[] {5, 7}, m.shape());
        assertArrayEquals(new long[] {0, 1}, m.y());
        StridedMap column = StridedMap.of(StridedMap.MUL, 0f, new int[] {5, 7}, new long[] {7, 1},
                new int[] {5, 7}, new long[] {7, 1}, new int[] {5, 1}, new long[] {1, 1});
        assertArrayEquals(new long[] {1, 0}, column.y());
    }

    @Test
    void aTransposedViewKeepsItsAxesApart() {
        // out [3, 4] contiguous, x the transpose of a contiguous [4, 3]
        StridedMap m = StridedMap.of(StridedMap.COPY, 0f, new int[] {3, 4}, new long[] {4, 1},
                new int[] {3, 4}, new long[] {1, 3}, null, null);
        assertArrayEquals(new long[] {3, 4}, m.shape());
        assertArrayEquals(new long[] {1, 3}, m.x());
        assertArrayEquals(new long[] {4, 1}, m.out());
    }

    @Test
    void axesOfSizeOneDropAndOneElementIsRankOne() {
        StridedMap m = StridedMap.of(StridedMap.RELU, 0f, new int[] {1, 1, 6}, new long[] {99, 6, 1},
                new int[] {1, 1, 6}, new long[] {5, 77, 1}, null, null);
        assertArrayEquals(new long[] {6}, m.shape());
        StridedMap one = StridedMap.of(StridedMap.RELU, 0f, new int[] {1, 1}, new long[] {1, 1},
                new int[] {1}, new long[] {1}, null, null);
        assertArrayEquals(new long[] {1}, one.shape());
    }

    @Test
    void sevenAxesThatDoNotMergeAreRefused() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2};
        long[] gappy = {4096, 1024, 256, 64, 16, 4, 1};   // each axis skips one step of the next: nothing merges
        long[] dense = {64, 32, 16, 8, 4, 2, 1};
        assertThrows(IllegalArgumentException.class,
                () -> StridedMap.of(StridedMap.COPY, 0f, shape, dense, shape, gappy, null, null));
        assertThrows(IllegalArgumentException.class, () -> StridedMap.of(StridedMap.ADD, 0f, new int[] {3}, new long[] {1},
                new int[] {4}, new long[] {1}, null, null));
    }

    @Test
    void theStructHasTheCLayout() {
        assertEquals(216, StridedMap.LAYOUT.byteSize(), "4 x 6 longs, n, rank, op, scalar, padded to 8");
        StridedMap m = StridedMap.of(StridedMap.SCALE, 2.5f, new int[] {5, 7}, new long[] {7, 1},
                new int[] {5, 7}, new long[] {1, 5}, null, null);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(StridedMap.LAYOUT);
            m.writeTo(s);
            assertEquals(5, s.get(JAVA_LONG, 0));
            assertEquals(7, s.get(JAVA_LONG, 8));
            assertEquals(1, s.get(JAVA_LONG, 48));      // x[0]
            assertEquals(5, s.get(JAVA_LONG, 56));      // x[1]
            assertEquals(7, s.get(JAVA_LONG, 144));     // out[0]
            assertEquals(35, s.get(JAVA_LONG, 192));    // n
            assertEquals(2, s.get(JAVA_INT, 200));      // rank
            assertEquals(StridedMap.SCALE, s.get(JAVA_INT, 204));
            assertEquals(2.5f, s.get(JAVA_FLOAT, 208));
        }
    }
}
