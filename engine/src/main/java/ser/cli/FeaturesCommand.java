package ser.cli;

import picocli.CommandLine.Command;
import ser.SerException;

import java.util.concurrent.Callable;

/** Placeholder until its issue lands: refuses to run rather than pretend. */
@Command(name = "features", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class FeaturesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new SerException("'features' is not implemented yet");
    }
}
