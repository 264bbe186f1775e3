package ser.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import ser.SerException;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

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
        description = "Speech emotion recognition on the JVM: log-Mel features, classifiers, training, evaluation.")
public final class Main implements Runnable {

    /**
     * The subcommands, in the order usage lists them (then picocli's {@code help}). Registered in code rather than in
     * the annotation so that a run of one subcommand builds picocli's model of that one only: the model of all of them
     * (reflection over every option, annotation proxies) was about a third of {@code ser mel}'s start-up.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("demo", DemoCommand::new);
        all.put("mel", MelCommand::new);
        all.put("features", FeaturesCommand::new);
        all.put("train", TrainCommand::new);
        all.put("evaluate", EvaluateCommand::new);
        all.put("predict", PredictCommand::new);
        all.put("import", ImportCommand::new);
        all.put("convert", ConvertCommand::new);
        all.put("embed", EmbedCommand::new);
        all.put("serve", ServeCommand::new);
        return all;
    }

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
        return execute(commandLine(args), args);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand, with that subcommand alone (what
     * it parses, prints and names in its usage is the same); otherwise (no argument, an option such as --help, help,
     * a typo) with all of them, so that usage lists them all and picocli suggests the nearest name.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        Supplier<Object> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cli.addSubcommand(args[0], only.get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
            cli.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return cli;
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
