package ser.dsp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The few threads that share out a long clip's frames. A stand-in, behind this one method, for the project-wide
 * pool ({@code ser.tensor.Parallel}) that will replace it.
 *
 * <p>Workers claim tasks from a shared counter and the caller claims too, so the call finishes even when every
 * helper is busy elsewhere (no deadlock when callers are themselves pool threads), and a helper that starts late
 * simply finds nothing left.
 */
final class DspThreads {

    private static final int HELPERS = Math.min(Runtime.getRuntime().availableProcessors(), 8) - 1;
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(HELPERS, 1), runnable -> {
        Thread t = new Thread(runnable, "ser-dsp");
        t.setDaemon(true);
        return t;
    });

    private DspThreads() {}

    /** Runs {@code task.accept(i)} for i in [0, tasks), spread over the caller and the helpers; rethrows a failure. */
    static void forEach(int tasks, IntConsumer task) {
        if (tasks <= 1 || HELPERS == 0) {
            for (int i = 0; i < tasks; i++) task.accept(i);
            return;
        }
        var next = new AtomicInteger();
        var unfinished = new AtomicInteger(tasks);
        var allDone = new CountDownLatch(1);
        var failure = new AtomicReference<Throwable>();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < tasks; ) {
                try {
                    if (failure.get() == null) task.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    if (unfinished.decrementAndGet() == 0) allDone.countDown();
                }
            }
        };
        for (int h = 0; h < Math.min(HELPERS, tasks - 1); h++) POOL.execute(worker);
        worker.run();
        try {
            allDone.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for log-Mel helpers", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }
}
