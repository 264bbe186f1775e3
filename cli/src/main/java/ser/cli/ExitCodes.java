package ser.cli;

/**
 * The exit status of every command, one rule for all: scripts can tell "done" from "done, but some inputs were
 * left out" from "stopped".
 */
final class ExitCodes {

    /** Everything asked for was processed and written. */
    static final int OK = 0;
    /** The job stopped: bad arguments or config, an unreadable model, a full disk. What it wrote stays readable. */
    static final int ERROR = 1;
    /** The command line itself is wrong (picocli's usage error). */
    static final int USAGE = 2;
    /** The job finished, but some input files could not be read; they were skipped and listed on stderr. */
    static final int SKIPPED_INPUTS = 3;

    /** For each command's --help footer. */
    static final String FOOTER = "%nExit status: 0 done; 3 done, but some input files could not be read (skipped and "
            + "listed on stderr); 1 stopped by an error (one line on stderr; what was written stays readable); "
            + "2 usage error.";

    private ExitCodes() {}

    /** {@link #SKIPPED_INPUTS} when {@code skipped} is positive, else {@link #OK}. */
    static int done(int skipped) {
        return skipped > 0 ? SKIPPED_INPUTS : OK;
    }
}
