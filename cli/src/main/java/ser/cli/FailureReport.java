package ser.cli;

import ser.SerException;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * What the command line prints when a command fails: always one line on stderr, and an exit status.
 *
 * <p>A {@link SerException} is the user's to act on and says so itself. Running out of heap is the user's to act
 * on too, but the JVM's own message says nothing useful, so it gets one that names the heap and the fix. Anything
 * else is a bug in ser: a stack trace is noise to a user, so it is printed only with {@code SER_DEBUG=1}, and the
 * line asks for a report.
 */
final class FailureReport {

    /** Exit status of a bad input, a missing file, or an out-of-memory failure. */
    static final int USER_ERROR = 1;
    /** Exit status of a bug (BSD sysexits EX_SOFTWARE), so that scripts can tell the two apart. */
    static final int INTERNAL_ERROR = 70;

    private FailureReport() {}

    /** Prints the line for {@code failure} (and its stack trace when {@code debug}); returns the exit status. */
    static int report(Throwable failure, PrintWriter err, boolean debug) {
        int status;
        switch (failure) {
            case SerException e -> {
                err.println("ser: " + e.getMessage());
                status = USER_ERROR;
            }
            case OutOfMemoryError e -> {
                long heapMiB = Runtime.getRuntime().maxMemory() >> 20;
                err.println(String.format(Locale.ROOT, "ser: out of memory: the Java heap (%d MiB) is too small for this "
                        + "input; give a larger one with SER_JAVA_OPTS=-Xmx<size> (e.g. -Xmx8g) or a smaller input", heapMiB));
                status = USER_ERROR;
            }
            default -> {
                String what = SerException.printable(String.valueOf(failure));
                err.println("ser: internal error: " + what + ", please report; rerun with SER_DEBUG=1 for the stack trace");
                status = INTERNAL_ERROR;
            }
        }
        if (debug && !(failure instanceof SerException)) failure.printStackTrace(err);
        err.flush();
        return status;
    }

    /** Whether the environment asks for stack traces: {@code SER_DEBUG=1}. */
    static boolean debugRequested() {
        return "1".equals(System.getenv("SER_DEBUG"));
    }
}
