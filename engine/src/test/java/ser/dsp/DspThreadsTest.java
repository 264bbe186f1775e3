package ser.dsp;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DspThreadsTest {

    @Test
    void runsEveryTaskExactlyOnce() {
        for (int tasks : new int[] {0, 1, 2, 7, 100}) {
            var runs = new AtomicIntegerArray(tasks);
            DspThreads.forEach(tasks, runs::incrementAndGet);
            for (int i = 0; i < tasks; i++) assertEquals(1, runs.get(i), "task " + i + " of " + tasks);
        }
    }

    @Test
    void rethrowsATasksFailureToTheCaller() {
        var failure = new IllegalStateException("task 5 failed");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> DspThreads.forEach(10, i -> {
            if (i == 5) throw failure;
        })));
    }
}
