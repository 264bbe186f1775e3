package ser.cli;

import picocli.CommandLine.Command;
import ser.SerException;

import java.util.concurrent.Callable;

/** Placeholder until its issue lands: refuses to run rather than pretend. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new SerException("'demo' is not implemented yet");
    }
}
