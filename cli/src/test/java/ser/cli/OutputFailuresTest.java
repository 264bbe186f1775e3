package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.io.DiskFull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk is an error, not a bad input: the job stops with one line and a non-zero exit, where it used to
 * count every feature file it could not write as an unreadable WAV, train on what was left and exit 0.
 */
class OutputFailuresTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void featuresStopsOnAFullDisk() {
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path out = dir.resolve("features");
        int code;
        try (DiskFull full = DiskFull.onWritesTo(p -> p.toString().endsWith(".npy") && p.getFileName().toString().startsWith("1002"))) {
            code = Main.run("features", "--data", corpus.toString(), "--out", out.toString(), "--threads", "2");
        }
        assertEquals(1, code, console.out() + console.err());
        assertTrue(console.err().contains(": cannot write: No space left on device"), console.err());
        assertFalse(console.err().contains("failed "), "no file is reported as a bad input: " + console.err());
    }

    @Test
    void trainStopsOnAFullDiskInsteadOfTrainingOnWhatFitted() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/a");
        int code;
        try (DiskFull full = DiskFull.onWritesTo(p -> p.toString().endsWith(".npy") && p.getFileName().toString().startsWith("1002"))) {
            code = Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString());
        }
        assertEquals(1, code, console.err());
        assertTrue(console.err().contains(".npy: cannot write: No space left on device"), console.err());
        assertFalse(Files.exists(run.resolve("checkpoints")), "nothing trained");
    }

    @Test
    void trainLogTellsTheTrueNumberOfTrainingFiles() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path bad;
        try (var s = Files.list(corpus)) {
            bad = s.filter(p -> p.getFileName().toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
        }
        Files.writeString(bad, "not a wav");
        Path run = dir.resolve("runs/b");
        assertEquals(3, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()),
                "done, with a file left out: " + console.err());
        List<String> log = Files.readAllLines(run.resolve("train.log"));
        String starting = log.stream().filter(l -> l.contains("starting: ")).findFirst().orElseThrow();
        int total = 0;
        for (String part : List.of("train ", "val ", "test ")) {
            String after = starting.substring(starting.indexOf("; " + part) >= 0 ? starting.indexOf("; " + part) + 2 + part.length()
                    : starting.indexOf(part) + part.length());
            total += Integer.parseInt(after.substring(0, after.indexOf(' ')));
        }
        assertEquals(31, total, "32 files, one unreadable: " + starting);
        assertTrue(log.stream().anyMatch(l -> l.contains("left out 1 files that could not be read")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.contains("skipped " + bad + ": ")), log.toString());
    }
}
