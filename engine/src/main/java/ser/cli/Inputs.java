package ser.cli;

import ser.SerException;
import ser.dsp.MelConfig;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the commands run on their inputs before any work starts, so that a typo costs no time. */
final class Inputs {

    private Inputs() {}

    static Path existingFile(Path file) {
        if (Files.isDirectory(file)) throw SerException.inFile(file, "is a directory, expected a file");
        if (!Files.isRegularFile(file)) throw SerException.inFile(file, "no such file");
        return file;
    }

    /** The config in {@code yaml}, or the embedded seed config when it is null. */
    static MelConfig melConfig(Path yaml) {
        return yaml == null ? MelConfig.seed() : MelConfig.load(existingFile(yaml));
    }
}
