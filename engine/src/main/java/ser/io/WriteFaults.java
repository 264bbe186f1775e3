package ser.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A test seam: every write of ours ({@link AtomicFiles}, {@link LogFiles}) asks it first, so that tests can make
 * the disk "fill up" at any chosen write without root, a small file system or a read-only mount.
 */
final class WriteFaults {

    /** Decides, before each write, whether it fails; throws the IOException the file system would. */
    @FunctionalInterface
    interface Hook {
        void beforeWrite(Path target) throws IOException;
    }

    private static volatile Hook hook;

    private WriteFaults() {}

    static void install(Hook h) {
        hook = h;
    }

    static void check(Path target) throws IOException {
        Hook h = hook;
        if (h != null) h.beforeWrite(target);
    }
}
