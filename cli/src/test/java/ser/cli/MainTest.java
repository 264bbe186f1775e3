package ser.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.dsp.MelConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The command line through {@link Main#run}: help, and the error paths that must answer in one line before any
 * audio is decoded (so they hold whatever state the DSP and audio code is in).
 */
class MainTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void helpListsTheCommands() {
        assertEquals(0, Main.run("--help"));
        for (String command : new String[] {"mel", "features", "demo", "serve"}) assertTrue(console.out().contains(command), console.out());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : new String[] {"mel", "features", "demo", "serve"}) {
            console.resetOut();
            assertEquals(0, Main.run(command, "--help"), command);
            assertTrue(console.out().contains("Usage: ser " + command), console.out());
            assertTrue(console.out().contains("Examples:") && console.out().contains("  ser " + command + " "), console.out());
        }
    }

    @Test
    void melNamesAMissingInputInOneLine() {
        Path missing = dir.resolve("nope.wav");
        assertEquals(1, Main.run("mel", missing.toString(), "--out", dir.resolve("x.npy").toString()));
        assertEquals("ser: " + missing + ": no such file\n", console.err().replace("\r\n", "\n"));
        assertFalse(Files.exists(dir.resolve("x.npy")));
    }

    @Test
    void melNamesAMissingConfigInOneLine() throws IOException {
        Path wav = Files.write(dir.resolve("a.wav"), new byte[0]);
        Path config = dir.resolve("missing.yaml");
        assertEquals(1, Main.run("mel", wav.toString(), "--out", dir.resolve("x.npy").toString(), "--config", config.toString()));
        assertEquals("ser: " + config + ": no such file\n", console.err().replace("\r\n", "\n"));
    }

    @Test
    void aWrongConfigKeyIsNamedBeforeAnyAudioIsRead() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "sample_rate: 16000\nnot_a_mel_key: 3\n");
        assumeTrue(melConfigLoads(bad), "MelConfig.load is not implemented on this branch yet");
        Path wav = Files.write(dir.resolve("empty.wav"), new byte[0]); // not even a WAV: the config fails first
        assertEquals(1, Main.run("mel", wav.toString(), "--out", dir.resolve("x.npy").toString(), "--config", bad.toString()));
        String message = console.err().strip();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.startsWith("ser: ") && message.contains("bad.yaml") && message.contains("not_a_mel_key"), message);
    }

    private static boolean melConfigLoads(Path yaml) {
        try {
            MelConfig.load(yaml);
            return true;
        } catch (UnsupportedOperationException stub) {
            return false;
        } catch (RuntimeException expected) {
            return true;
        }
    }

    @Test
    void featuresNamesMissingDataInOneLine() {
        Path missing = dir.resolve("corpus");
        assertEquals(1, Main.run("features", "--data", missing.toString(), "--out", dir.resolve("f").toString()));
        assertEquals("ser: " + missing + ": no such file or directory\n", console.err().replace("\r\n", "\n"));
    }

    @Test
    void featuresRejectsAnUnknownLabelSet() throws IOException {
        Files.write(dir.resolve("03-01-05-01-02-01-12.wav"), new byte[0]);
        assertEquals(1, Main.run("features", "--data", dir.toString(), "--out", dir.resolve("f").toString(), "--labels", "five"));
        assertEquals("ser: unknown label set 'five' (choose one of [seed4, all])\n", console.err().replace("\r\n", "\n"));
    }

    @Test
    void missingRequiredOptionsAreUsageErrors() {
        assertEquals(2, Main.run("mel", "in.wav"));
        assertTrue(console.err().contains("Missing required option: '--out=OUT.npy'"), console.err());
    }
}
