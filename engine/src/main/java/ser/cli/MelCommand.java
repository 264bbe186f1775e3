package ser.cli;

import picocli.CommandLine.Command;
import ser.SerException;

import java.util.concurrent.Callable;

/** Placeholder until its issue lands: refuses to run rather than pretend. */
@Command(name = "mel", mixinStandardHelpOptions = true, description = "(not yet implemented)")
public final class MelCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new SerException("'mel' is not implemented yet");
    }
}
