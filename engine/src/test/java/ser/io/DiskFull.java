package ser.io;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Makes our writes fail as on a full disk, for as long as it is open: {@code try (DiskFull d =
 * DiskFull.afterWrites(12)) {...}}. Every write of the JVM counts, so tests using it must not share the JVM with
 * concurrent writers (surefire runs test classes one at a time here).
 */
public final class DiskFull implements AutoCloseable {

    private final AtomicInteger writes = new AtomicInteger();
    private final List<Path> targets = Collections.synchronizedList(new ArrayList<>());
    private final int fullAfter;
    private final Predicate<Path> failing;

    private DiskFull(int fullAfter, Predicate<Path> failing) {
        this.fullAfter = fullAfter;
        this.failing = failing;
        WriteFaults.install(this::beforeWrite);
    }

    /** The first {@code n} writes succeed; every later one fails. */
    public static DiskFull afterWrites(int n) {
        return new DiskFull(n, p -> true);
    }

    /** Every write to a path {@code failing} accepts fails. */
    public static DiskFull onWritesTo(Predicate<Path> failing) {
        return new DiskFull(0, failing);
    }

    /** Nothing fails; {@link #writes} counts. */
    public static DiskFull never() {
        return new DiskFull(Integer.MAX_VALUE, p -> false);
    }

    /** Writes attempted so far, failed ones included. */
    public int writes() {
        return writes.get();
    }

    /** The files written or tried, in order. */
    public List<Path> targets() {
        return List.copyOf(targets);
    }

    private void beforeWrite(Path target) throws IOException {
        targets.add(target);
        if (writes.incrementAndGet() > fullAfter && failing.test(target)) {
            throw new FileSystemException(target.toString(), null, "No space left on device");
        }
    }

    @Override
    public void close() {
        WriteFaults.install(null);
    }
}
