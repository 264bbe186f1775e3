package ser.autograd.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one place where the training kernels fork work onto threads.
 *
 * <p>Work over {@code [0, n)} is cut into {@link #chunks(int)} contiguous slices whose bounds depend only on
 * {@code n} and the thread count, never on timing. A kernel that reduces across slices sums the per-slice
 * partial results in slice order, so a run is bit-identical to any other run with the same thread count.
 *
 * <p>The thread count is {@code -Dser.threads=N}, else the number of available processors. Nested calls from
 * inside a slice run sequentially on the calling worker (a fixed pool would otherwise deadlock on itself).
 */
public final class Parallel {

    /** The body of one slice: handles {@code [start, end)} as slice number {@code chunk}. */
    @FunctionalInterface
    public interface Slice {
        void run(int chunk, int start, int end);
    }

    private static final int THREADS = Math.max(1, Integer.getInteger("ser.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);
    private static final ExecutorService POOL = THREADS == 1 ? null : Executors.newFixedThreadPool(THREADS - 1, r -> {
        Thread t = new Thread(() -> {
            INSIDE.set(true);
            r.run();
        }, "ser-kernels");
        t.setDaemon(true);
        return t;
    });

    private Parallel() {}

    public static int threads() { return THREADS; }

    /** How many slices {@link #forEachChunk} cuts {@code n} items into. */
    public static int chunks(int n) {
        return INSIDE.get() ? Math.min(1, n) : Math.min(THREADS, n);
    }

    /** Runs {@code body} over the {@link #chunks(int)} slices of {@code [0, n)}; slice 0 on the calling thread. */
    public static void forEachChunk(int n, Slice body) {
        int chunks = chunks(n);
        if (chunks <= 1) {
            if (n > 0) body.run(0, 0, n);
            return;
        }
        List<Future<?>> pending = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int chunk = c;
            pending.add(POOL.submit(() -> body.run(chunk, start(n, chunks, chunk), start(n, chunks, chunk + 1))));
        }
        boolean wasInside = INSIDE.get();
        INSIDE.set(true);
        try {
            body.run(0, 0, start(n, chunks, 1));
        } finally {
            INSIDE.set(wasInside);
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a kernel slice", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static int start(int n, int chunks, int chunk) {
        return (int) ((long) n * chunk / chunks);
    }
}
