package ser.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import ser.SerException;

/**
 * {@code ser spark ...}: the launcher (./ser) runs this class, on the spark module's class path, for a first
 * argument {@code spark}, so that Spark (hundreds of MB) never goes into ser.jar. Each job is also a class of its
 * own with a {@code main} for spark-submit ({@link FeaturesJob}, {@link PredictJob}).
 */
@Command(name = "ser spark", mixinStandardHelpOptions = true,
        description = "The engine's feature extraction and prediction as Apache Spark jobs (docs/spark.md).",
        subcommands = {FeaturesJob.class, PredictJob.class, FeaturesToCache.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(new CommandLine(new SparkMain()), args));
    }

    /** As ser.jar does: a user's error is one line and exit status 1, not a stack trace. */
    static int execute(CommandLine cli, String... args) {
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (!(ex instanceof SerException)) throw ex;
            System.err.println("ser: " + ex.getMessage());
            return 1;
        });
        return cli.execute(args);
    }
}
