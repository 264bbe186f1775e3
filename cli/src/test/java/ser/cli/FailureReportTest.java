package ser.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.*;

/** Whatever a command throws, the command line prints one line and exits non-zero. */
class FailureReportTest {

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Command(name = "boom")
    static final class Boom implements Runnable {
        final Throwable thrown;

        Boom(Throwable thrown) { this.thrown = thrown; }

        @Override
        public void run() {
            if (thrown instanceof RuntimeException r) throw r;
            throw (Error) thrown;
        }
    }

    private int runThrowing(Throwable t) {
        return Main.execute(new CommandLine(new Boom(t)));
    }

    @Test
    void aBugIsOneLineAskingForAReportWithoutAStackTrace() {
        assertEquals(FailureReport.INTERNAL_ERROR, runThrowing(new IllegalStateException("bad\nstate")));
        assertEquals("ser: internal error: java.lang.IllegalStateException: bad\\nstate, please report; "
                + "rerun with SER_DEBUG=1 for the stack trace\n", console.err().replace("\r\n", "\n"));
    }

    @Test
    void anErrorThatPicocliDoesNotHandleIsOneLineToo() {
        assertEquals(FailureReport.INTERNAL_ERROR, runThrowing(new StackOverflowError()));
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("ser: internal error: java.lang.StackOverflowError, please report"), console.err());
    }

    @Test
    void runningOutOfMemoryNamesTheHeapAndTheFix() {
        assertEquals(FailureReport.USER_ERROR, runThrowing(new OutOfMemoryError("Java heap space")));
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("ser: out of memory: the Java heap ("), console.err());
        assertTrue(console.err().contains("SER_JAVA_OPTS=-Xmx"), console.err());
    }

    @Test
    void debugAddsTheStackTrace() {
        StringWriter text = new StringWriter();
        FailureReport.report(new IllegalStateException("x"), new PrintWriter(text), true);
        assertTrue(text.toString().lines().count() > 2, text.toString());
        assertTrue(text.toString().contains("\tat "), text.toString());
    }
}
