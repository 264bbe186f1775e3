package ser.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import ser.SerException;

import java.io.PrintWriter;

/**
 * The {@code ser} command line. A thin shell: every subcommand is a call into the library.
 *
 * <p>Errors a user can act on ({@link SerException}) print one line and exit 1, and so does running out of
 * memory; usage errors print the problem and the usage and exit 2; anything else is a bug and prints one line
 * asking for a report, exit 70, with the stack trace only under {@code SER_DEBUG=1} ({@link FailureReport}).
 */
@Command(name = "ser",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Speech emotion recognition on the JVM: log-Mel features, classifiers, training, evaluation.",
        subcommands = {
                DemoCommand.class,
                MelCommand.class,
                FeaturesCommand.class,
                TrainCommand.class,
                EvaluateCommand.class,
                PredictCommand.class,
                ImportCommand.class,
                ConvertCommand.class,
                EmbedCommand.class,
                ServeCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return execute(new CommandLine(new Main()), args);
    }

    /**
     * Runs {@code cli}; every failure ends as one line on stderr ({@link FailureReport}). Errors such as
     * OutOfMemoryError pass picocli's handler by, so they are caught here too.
     */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> report(ex));
        try {
            return cli.execute(args);
        } catch (Throwable failure) { // the last resort: whatever escaped is one line, not a stack trace
            return report(failure);
        }
    }

    private static int report(Throwable failure) {
        return FailureReport.report(failure, new PrintWriter(System.err, true), FailureReport.debugRequested());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ser " + (v == null ? "dev" : v) + " on Java " + Runtime.version()};
        }
    }

    /** Where commands print progress and notices: stderr, so that stdout stays machine-readable. */
    static PrintWriter err() {
        return new PrintWriter(System.err, true);
    }
}
