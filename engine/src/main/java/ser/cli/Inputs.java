package ser.cli;

import ser.SerException;
import ser.audio.AudioReader;
import ser.dsp.MelConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks the commands run on their inputs before any work starts, so that a typo costs no time. */
final class Inputs {

    private Inputs() {}

    static Path existingFile(Path file) {
        if (Files.isDirectory(file)) throw SerException.inFile(file, "is a directory, expected a file");
        if (!Files.isRegularFile(file)) throw SerException.inFile(file, "no such file");
        return file;
    }

    /**
     * The audio files under {@code dir}, recursively and sorted: names ending in .wav, .aif, .aiff or .aifc in any
     * case (the reader then goes by the bytes, so an AIFF named .wav is fine).
     */
    static List<Path> audioFilesUnder(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> Files.isRegularFile(p) && AudioReader.hasAudioExtension(p)).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw SerException.inFile(dir, "cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** The config in {@code yaml}, or the embedded seed config when it is null. */
    static MelConfig melConfig(Path yaml) {
        return yaml == null ? MelConfig.seed() : MelConfig.load(existingFile(yaml));
    }
}
