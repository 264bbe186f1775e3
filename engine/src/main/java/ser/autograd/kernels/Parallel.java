package ser.autograd.kernels;

/**
 * How the training kernels fork work onto threads: fixed slices on the engine's one pool,
 * {@link ser.tensor.Parallel#shared()} (sized by {@code -Dser.threads=N}, else one thread per processor).
 *
 * <p>Work over {@code [0, n)} is cut into {@link #chunks(int)} contiguous slices whose bounds depend only on
 * {@code n} and the pool size, never on timing or on which thread runs a slice. A kernel that reduces across
 * slices sums the per-slice partial results in slice order, so a run is bit-identical to any other run with the
 * same thread count. A call made while the pool is busy (from inside a slice, or beside another thread's loop)
 * runs its slices one after another on the calling thread: the same slices, so the same result.
 */
public final class Parallel {

    /** The body of one slice: handles {@code [start, end)} as slice number {@code chunk}. */
    @FunctionalInterface
    public interface Slice {
        void run(int chunk, int start, int end);
    }

    private Parallel() {}

    static ser.tensor.Parallel pool() { return ser.tensor.Parallel.shared(); }

    /** How many slices {@link #forEachChunk} cuts {@code n} items into. */
    public static int chunks(int n) {
        return Math.max(0, Math.min(pool().threads(), n));
    }

    /** Runs {@code body} over the {@link #chunks(int)} slices of {@code [0, n)}. */
    public static void forEachChunk(int n, Slice body) {
        int chunks = chunks(n);
        pool().parallelFor(chunks, chunk -> body.run(chunk, start(n, chunks, chunk), start(n, chunks, chunk + 1)));
    }

    private static int start(int n, int chunks, int chunk) {
        return (int) ((long) n * chunk / chunks);
    }
}
