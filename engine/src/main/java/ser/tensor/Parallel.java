package ser.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The project's own small thread pool for data-parallel loops: a fixed set of daemon threads and one operation,
 * {@link #parallelFor}. The calling thread works too, so {@code new Parallel(n)} starts {@code n - 1} threads and
 * {@code new Parallel(1)} none.
 *
 * <p>Why not the ForkJoin common pool: kernels want a known, fixed number of threads (benchmarks compare 1 and 2),
 * no work stealing between unrelated tasks of the application, and a dispatch cheap enough for a GEMM of a few
 * hundred microseconds: workers spin briefly before parking, and tasks are claimed with one atomic increment.
 *
 * <p>Nested or concurrent use is safe and never deadlocks: a {@code parallelFor} issued from inside a task, or while
 * another thread's loop occupies the pool, simply runs on the calling thread.
 */
public final class Parallel implements AutoCloseable {

    private static final int SPIN_BEFORE_PARK = 1 << 11;
    private static volatile Parallel shared;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;
    private volatile boolean closed;

    /** A pool of {@code threads} threads, the caller included. */
    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("a pool needs at least 1 thread, got " + threads);
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("ser-parallel-" + (i + 1), i + 1);
            workers[i].start();
        }
    }

    /**
     * The process-wide pool, started on first use: {@code -Dser.threads=N} threads, else one per available
     * processor. Training kernels and inference share it, so the one setting governs both.
     */
    public static Parallel shared() {
        Parallel p = shared;
        if (p == null) {
            synchronized (Parallel.class) {
                if (shared == null) shared = new Parallel(Math.max(1, Integer.getInteger("ser.threads",
                        Runtime.getRuntime().availableProcessors())));
                p = shared;
            }
        }
        return p;
    }

    /** Threads that work on a loop, the caller included. */
    public int threads() { return workers.length + 1; }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, n)}, spread over the pool's threads, and
     * returns when all have finished. Tasks run in no particular order; give each enough work (a block of rows,
     * a GEMM tile) to outweigh a few hundred nanoseconds of dispatch. The first exception a task throws is
     * rethrown here once the others are done.
     */
    public void parallelFor(int n, IntConsumer body) {
        run(n, body, false);
    }

    /**
     * As {@link #parallelFor}, but the tasks are dealt out in contiguous runs, one run per thread, each taken from
     * its front in order; a thread whose run is done takes tasks from the back of another's. For tasks that each
     * stream their own stretch of data (a GEMM's B panels): the threads stay far apart instead of sweeping
     * neighbouring stretches in step, and a thread that starts late or is slowed gives its remaining work to
     * the other instead of leaving it waiting for a whole task at the end.
     */
    public void parallelForRuns(int n, IntConsumer body) {
        run(n, body, true);
    }

    private void run(int n, IntConsumer body, boolean runs) {
        if (n <= 0) return;
        boolean alone = n == 1 || workers.length == 0 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(false, true);
        // Alone, the counter hands the tasks out in order, which is what one run would do.
        Job j = new Job(n, body, Thread.currentThread(), runs && !alone ? new Runs(n, threads()) : null);
        if (alone) {
            j.work(0); // on the caller alone: nested, single-threaded, or the pool is taken
            j.rethrow();
            return;
        }
        try {
            job = j;
            for (Worker w : workers) LockSupport.unpark(w);
            j.work(0);
            j.awaitDone();
            job = null;
        } finally {
            busy.set(false);
        }
        j.rethrow();
    }

    /** Stops the pool's threads once they are idle. The shared pool is never closed. */
    @Override
    public void close() {
        if (this == shared) return;
        closed = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    /**
     * One loop: tasks are claimed by counter, or from {@link Runs}, and the caller waits for the count of finished
     * ones.
     */
    private static final class Job {
        final int n;
        final IntConsumer body;
        final Thread caller;
        final Runs runs;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        volatile Throwable failure;

        Job(int n, IntConsumer body, Thread caller, Runs runs) {
            this.n = n;
            this.body = body;
            this.caller = caller;
            this.runs = runs;
        }

        /** Claims and runs tasks until none is left; {@code slot} is the thread's place in the pool, the caller's 0. */
        void work(int slot) {
            for (int i; (i = runs == null ? next.getAndIncrement() : runs.claim(slot)) >= 0 && i < n; ) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                if (finished.incrementAndGet() == n && Thread.currentThread() != caller) LockSupport.unpark(caller);
            }
        }

        void awaitDone() {
            for (int spin = 0; finished.get() < n; spin++) {
                if (spin < SPIN_BEFORE_PARK) Thread.onSpinWait();
                else LockSupport.park(this);
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    /**
     * Tasks {@code 0 .. n} cut into one contiguous run per thread. Each run is a {@code [front, end)} pair in one
     * long, so that its owner's claims from the front and others' from the back are one compare-and-set each and
     * never hand out a task twice.
     */
    private static final class Runs {
        private final AtomicLongArray bounds;

        Runs(int n, int count) {
            bounds = new AtomicLongArray(count);
            for (int r = 0; r < count; r++) bounds.set(r, pack((int) ((long) n * r / count), (int) ((long) n * (r + 1) / count)));
        }

        /** The next task for the thread in {@code slot}: from its own run, else from the back of another's; -1 when none is left. */
        int claim(int slot) {
            int count = bounds.length(), task = take(slot, true);
            for (int o = 1; task < 0 && o < count; o++) task = take((slot + o) % count, false);
            return task;
        }

        private int take(int run, boolean fromFront) {
            while (true) {
                long v = bounds.get(run);
                int front = (int) (v >>> 32), end = (int) v;
                if (front >= end) return -1;
                long taken = fromFront ? pack(front + 1, end) : pack(front, end - 1);
                if (bounds.compareAndSet(run, v, taken)) return fromFront ? front : end - 1;
            }
        }

        private static long pack(int front, int end) {
            return (long) front << 32 | end;
        }
    }

    private final class Worker extends Thread {
        final int slot;

        Worker(String name, int slot) {
            super(name);
            this.slot = slot;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job done = null;
            while (!closed) {
                Job j = job;
                if (j == null || j == done) {
                    idle(done);
                    continue;
                }
                j.work(slot);
                done = j;
            }
        }

        /** Waits for a job other than {@code done}: a short spin (loops often come in bursts), then parking. */
        private void idle(Job done) {
            for (int spin = 0; spin < SPIN_BEFORE_PARK; spin++) {
                Job j = job;
                if ((j != null && j != done) || closed) return;
                Thread.onSpinWait();
            }
            LockSupport.park(this);
        }
    }
}
