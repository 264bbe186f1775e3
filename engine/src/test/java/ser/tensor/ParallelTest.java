package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnce() {
        try (Parallel pool = new Parallel(3)) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(257);
                pool.parallelFor(runs.length(), runs::incrementAndGet);
                for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "index " + i + " in round " + round);
            }
        }
    }

    @Test
    void aFailingTaskFailsTheLoopAfterTheOthersFinish() {
        try (Parallel pool = new Parallel(2)) {
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.parallelFor(40, i -> {
                if (i == 7) throw new IllegalStateException("task 7");
                finished.incrementAndGet();
            }));
            assertEquals("task 7", thrown.getMessage());
            assertEquals(39, finished.get());
            AtomicInteger after = new AtomicInteger();
            pool.parallelFor(10, i -> after.incrementAndGet());
            assertEquals(10, after.get(), "the pool still works");
        }
    }

    @Test
    void nestedLoopsRunWithoutDeadlock() {
        try (Parallel pool = new Parallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            pool.parallelFor(8, i -> pool.parallelFor(8, j -> inner.incrementAndGet()));
            assertEquals(64, inner.get());
        }
    }

    @Test
    void aSingleThreadPoolRunsOnTheCaller() {
        try (Parallel pool = new Parallel(1)) {
            Thread caller = Thread.currentThread();
            pool.parallelFor(5, i -> assertSame(caller, Thread.currentThread()));
            assertEquals(1, pool.threads());
        }
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
    }
}
