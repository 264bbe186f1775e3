package ser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every fuzz target shares (docs/reliability.md, "Fuzzing"): the fuzzer's bytes as a file for readers that
 * take a path, and the one property checked, that bad input ends in a one-line {@link SerException}. Anything
 * else that escapes (another exception, an OutOfMemoryError, a StackOverflowError) fails the target, and Jazzer
 * reports it as a finding; so does a run that takes longer than its per-input timeout.
 */
public final class FuzzInput {

    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path file = Files.createTempFile("ser-fuzz-", ".bin");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private FuzzInput() {}

    /** {@code bytes} written to this thread's scratch file, which is reused from one input to the next. */
    public static Path asFile(byte[] bytes) {
        try {
            return Files.write(FILE.get(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code read}; a SerException is the documented answer to bad input, and must be one line. */
    public static void expectCleanErrors(Runnable read) {
        try {
            read.run();
        } catch (SerException expected) {
            String m = expected.getMessage();
            if (m == null || m.isEmpty() || m.contains("\n") || m.contains("\r")) {
                throw new AssertionError("a SerException that is not one line: " + m, expected);
            }
        }
    }
}
