package ser.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.audio.WavWriter;
import ser.io.Npy;
import ser.tensor.Devices;
import ser.tensor.Parallel;
import ser.testing.TinyRecipe;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code --device} on a machine where no GPU can run (the CI's): cuda stops in one line, auto falls back to the CPU
 * with one notice, cpu is what no flag gives. On a machine where the CUDA backend opens, the tests that need its
 * absence are skipped.
 */
class DeviceOptionTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void embedOnEachDevice() throws Exception {
        assumeFalse(opensHere("cuda"), "a GPU runs here");
        Path weights = dir.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-base/hf").toString(), "--out", weights.toString()));
        Path wav = dir.resolve("a.wav");
        WavWriter.writePcm16(wav, Npy.read(fixtures().resolve("inputs/synth-1.npy")).toArray(), 16_000);

        console.resetErr();
        assertEquals(1, embed(wav, weights, "cuda", "--device", "cuda"));
        List<String> err = console.err().lines().toList();
        assertEquals(1, err.size(), console.err());
        assertTrue(err.getFirst().startsWith("ser: device"), console.err());
        assertTrue(err.getFirst().contains("cuda"), console.err());
        assertTrue(Files.notExists(dir.resolve("cuda").resolve("a.npy")));

        console.resetErr();
        assertEquals(0, embed(wav, weights, "auto", "--device", "auto"), console.err());
        List<String> notices = console.err().lines().filter(l -> l.contains("no GPU")).toList();
        assertEquals(1, notices.size(), console.err());
        assertTrue(notices.getFirst().startsWith("ser: no GPU: running on the CPU ("), console.err());

        assertEquals(0, embed(wav, weights, "cpu", "--device", "cpu"));
        assertEquals(0, embed(wav, weights, "none"));
        byte[] none = Files.readAllBytes(dir.resolve("none/a.npy"));
        assertArrayEquals(none, Files.readAllBytes(dir.resolve("cpu/a.npy")), "--device cpu is the default");
        assertArrayEquals(none, Files.readAllBytes(dir.resolve("auto/a.npy")), "auto without a GPU is the CPU");

        console.resetErr();
        assertEquals(1, embed(wav, weights, "bad", "--device", "cpu:bf16"));
        assertEquals("ser: --device: device 'cpu:bf16': the CPU backend has one precision, fp32",
                console.err().strip(), console.err());
    }

    @Test
    void aMelRunSaysWhatStaysOnTheCpuAndTheFlagWinsOverTheRecipe() throws IOException {
        assumeFalse(opensHere("cuda"), "a GPU runs here");
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/a");

        // The recipe's device: cuda cannot run here; the error names the recipe and nothing is written.
        console.resetErr();
        assertEquals(1, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out",
                run.toString(), "--set", "device=cuda"));
        assertEquals(1, console.err().lines().count(), console.err());
        assertTrue(console.err().startsWith("ser: " + recipe + ": device"), console.err());
        assertTrue(Files.notExists(run.resolve("config.yaml")));

        // The flag wins: auto falls back to the CPU and says so once.
        console.resetErr();
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out",
                run.toString(), "--set", "device=cuda", "--device", "auto"), console.err());
        assertEquals(1, console.err().lines().filter(l -> l.contains("no GPU: running on the CPU")).count(), console.err());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("device: cuda"), "the run keeps the recipe's");
        assertTrue(Files.readString(run.resolve("train.log")).contains("device: cpu"), "and logs the device it used");
        assertEquals("cpu", ((java.util.Map<?, ?>) ser.io.Json.read(run.resolve("test/metrics.json"))).get("device"));

        // evaluate and predict read the run's device: cuda unless told otherwise.
        console.resetErr();
        assertEquals(1, Main.run("evaluate", "--run", run.toString()));
        assertEquals(1, console.err().lines().count(), console.err());
        Path clip;
        try (var s = Files.list(corpus)) {
            clip = s.filter(p -> p.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
        }
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--device", "cpu"), console.err());
        assertEquals("cpu", ((java.util.Map<?, ?>) ser.io.Json.read(run.resolve("eval-test/metrics.json"))).get("device"));
        console.resetOut();
        assertEquals(0, Main.run("predict", "--run", run.toString(), "--device", "cpu", clip.toString()), console.err());
        String onCpu = console.out();
        console.resetOut();
        console.resetErr();
        assertEquals(0, Main.run("predict", "--run", run.toString(), "--device", "auto", clip.toString()), console.err());
        assertEquals(onCpu, console.out());
        assertEquals(1, console.err().lines().count(), console.err());
        console.resetErr();
        assertEquals(1, Main.run("predict", "--run", run.toString(), "--device", "gpu:", clip.toString()));
        assertTrue(console.err().startsWith("ser: --device: device 'gpu:' is not one of " + Devices.SPECS), console.err());
    }

    private int embed(Path wav, Path weights, String out, String... more) {
        String[] args = {"embed", wav.toString(), "--weights", weights.toString(), "--out", dir.resolve(out).toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return Main.run(all);
    }

    private static boolean opensHere(String spec) {
        try {
            Devices.open(spec, new Parallel(1), n -> {});
            return true;
        } catch (SerException e) {
            return false;
        }
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(DeviceOptionTest.class.getResource("/fixtures/hubert").toURI());
    }
}
