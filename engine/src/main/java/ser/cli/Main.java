package ser.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import ser.SerException;

import java.io.PrintWriter;

/**
 * The {@code ser} command line. A thin shell: every subcommand is a call into the library.
 *
 * <p>Errors a user can act on ({@link SerException}) print one line and exit 1; usage errors print the
 * problem and the usage and exit 2; anything else is a bug and prints its stack trace.
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
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof SerException) {
                cmd.getErr().println("ser: " + ex.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw ex;
        });
        return cli.execute(args);
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
