package ser.cli;

import ser.RegularFiles;
import ser.SerException;
import ser.audio.AudioReader;
import ser.data.Corpus;
import ser.data.FolderWalk;
import ser.dsp.MelConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Checks the commands run on their inputs before any work starts, so that a typo costs no time. */
final class Inputs {

    private Inputs() {}

    static Path existingFile(Path file) {
        if (Files.isDirectory(file)) throw SerException.inFile(file, "is a directory, expected a file");
        return RegularFiles.require(file); // says what it is when it is not a file: a FIFO, a link loop, nothing
    }

    /**
     * The audio files under {@code dir}, recursively and sorted: names ending in .wav, .aif, .aiff or .aifc in any
     * case (the reader then goes by the bytes, so an AIFF named .wav is fine).
     */
    static List<Path> audioFilesUnder(Path dir) {
        // through symbolic links; a loop or a dangling link is said on stderr rather than passed over in silence
        FolderWalk.Result walk = FolderWalk.files(dir, AudioReader::hasAudioExtension);
        for (Corpus.Skipped s : walk.skipped()) System.err.println("ser: " + s.file() + ": skipped: " + s.reason());
        return walk.files();
    }

    /** {@code --threads N}, checked before any work. */
    static int threads(int n) {
        if (n < 1) throw new SerException("--threads must be at least 1, got " + n);
        return n;
    }

    /** The config in {@code yaml}, or the embedded seed config when it is null. */
    static MelConfig melConfig(Path yaml) {
        return yaml == null ? MelConfig.seed() : MelConfig.load(existingFile(yaml));
    }
}
