package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "runs: {0}")
    @ValueSource(booleans = {false, true})
    void aFailingTaskFailsTheLoopAfterTheOthersFinish(boolean runs) {
        try (Parallel pool = new Parallel(2)) {
            BiConsumer<Integer, IntConsumer> loop = runs ? pool::parallelForRuns : pool::parallelFor;
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> loop.accept(40, i -> {
                if (i == 31) throw new IllegalStateException("task 31");
                finished.incrementAndGet();
            }));
            assertEquals("task 31", thrown.getMessage());
            assertEquals(39, finished.get());
            AtomicInteger after = new AtomicInteger();
            loop.accept(10, i -> after.incrementAndGet());
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

    @Test
    void runsHandOutEveryIndexExactlyOnce() {
        try (Parallel pool = new Parallel(3)) {
            for (int n : new int[] {1, 2, 3, 4, 7, 64, 257}) {
                for (int round = 0; round < 20; round++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(n);
                    pool.parallelForRuns(n, i -> {
                        if (i % 5 == 0) LockSupport.parkNanos(20_000); // uneven tasks, so that threads take over others' runs
                        runs.incrementAndGet(i);
                    });
                    for (int i = 0; i < n; i++) assertEquals(1, runs.get(i), "index " + i + " of " + n + " in round " + round);
                }
            }
        }
    }

    @Test
    void eachThreadWorksThroughItsRunInOrderThenTakesFromTheBackOfAnother() {
        int n = 40;
        try (Parallel pool = new Parallel(2)) {
            for (int round = 0; round < 10; round++) {
                Map<Thread, List<Integer>> taken = new ConcurrentHashMap<>();
                pool.parallelForRuns(n, i -> {
                    taken.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add(i);
                    LockSupport.parkNanos(i < n / 2 ? 50_000 : 150_000); // the second run is slower: the caller takes some of it
                });
                int all = 0;
                for (Map.Entry<Thread, List<Integer>> e : taken.entrySet()) {
                    List<Integer> tasks = e.getValue();
                    int front = e.getKey() == Thread.currentThread() ? 0 : n / 2;
                    assertEquals(front, tasks.get(0), "a thread starts at the front of its own run: " + tasks);
                    int k = 1;
                    while (k < tasks.size() && tasks.get(k) == tasks.get(k - 1) + 1) k++;
                    List<Integer> fromOther = tasks.subList(k, tasks.size());
                    for (int t = 0; t < fromOther.size(); t++) {
                        assertTrue((fromOther.get(t) < n / 2) != (front < n / 2) && (t == 0 || fromOther.get(t) < fromOther.get(t - 1)),
                                "after its own run, a thread takes the other's from the back: " + tasks);
                    }
                    all += tasks.size();
                }
                assertEquals(n, all);
            }
        }
    }

    @Test
    void runsOnOneThreadGoInOrder() {
        try (Parallel pool = new Parallel(1)) {
            List<Integer> order = new ArrayList<>();
            pool.parallelForRuns(9, order::add);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), order);
        }
    }
}
