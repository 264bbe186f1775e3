package ser.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.audio.WavWriter;
import ser.io.Npy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands run with {@code --device} on the emulated GPU (kernels' test {@code EmulatedCudaProvider}: the CUDA
 * backend, {@code CudaOps}, over host twins of its kernels), whole: the option, the device's opening, HuBERT loaded
 * onto it and driven from one thread, the states downloaded and written. They equal the CPU's to float rounding.
 */
class EmulatedDeviceTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @BeforeEach
    void emulate() {
        System.setProperty("ser.emulatedGpu", "true");
    }

    @AfterEach
    void stopEmulating() {
        System.clearProperty("ser.emulatedGpu");
    }

    @Test
    void embedAndHubertFeaturesOnTheEmulatedGpuMatchTheCpu() throws Exception {
        Path weights = dir.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-base/hf").toString(), "--out", weights.toString()));
        Path audio = Files.createDirectories(dir.resolve("audio"));
        float[] clip = Npy.read(fixtures().resolve("inputs/synth-1.npy")).toArray();
        WavWriter.writePcm16(audio.resolve("a.wav"), clip, 16_000);
        WavWriter.writePcm16(audio.resolve("b.wav"), java.util.Arrays.copyOf(clip, 9000), 16_000);

        for (String device : new String[] {"cpu", "emulated-cuda", "emulated-cuda:bf16"}) {
            console.resetErr();
            assertEquals(0, Main.run("embed", audio.toString(), "--weights", weights.toString(), "--device", device,
                    "--out", dir.resolve("embed-" + device.replace(':', '-')).toString()), console.err());
        }
        for (String name : new String[] {"a.npy", "b.npy"}) {
            float[] cpu = Npy.read(dir.resolve("embed-cpu").resolve(name)).toArray();
            float[] gpu = Npy.read(dir.resolve("embed-emulated-cuda").resolve(name)).toArray();
            float[] bf16 = Npy.read(dir.resolve("embed-emulated-cuda-bf16").resolve(name)).toArray();
            assertClose(cpu, gpu, 1e-4, name + " fp32");
            assertClose(cpu, bf16, 3e-2, name + " bf16");
        }
    }

    /**
     * {@code ser train} with {@code --device emulated-cuda} trains the model on the device (conv, batch norm, ReLU,
     * pooling, dropout, linear, cross-entropy and AdamW on CudaOps) and gives the CPU's losses to float rounding;
     * {@code ser evaluate} and {@code ser predict} run the trained network there too.
     */
    @Test
    void trainEvaluateAndPredictOnTheEmulatedGpuMatchTheCpu() throws Exception {
        Path recipe = ser.testing.TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 2);
        Path corpus = ser.testing.TinyRecipe.corpus(dir.resolve("corpus"));
        for (String device : new String[] {"cpu", "emulated-cuda"}) {
            console.resetErr();
            assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out",
                    dir.resolve("run-" + device).toString(), "--device", device), console.err());
        }
        Path cpu = dir.resolve("run-cpu"), gpu = dir.resolve("run-emulated-cuda");
        assertTrue(Files.readString(gpu.resolve("train.log")).contains("device: emulated-cuda"));
        java.util.List<String> cpuEpochs = Files.readAllLines(cpu.resolve("metrics.jsonl"));
        java.util.List<String> gpuEpochs = Files.readAllLines(gpu.resolve("metrics.jsonl"));
        assertEquals(cpuEpochs.size(), gpuEpochs.size());
        for (int e = 0; e < cpuEpochs.size(); e++) {
            double want = number(cpuEpochs.get(e), "train_loss"), got = number(gpuEpochs.get(e), "train_loss");
            assertEquals(want, got, 1e-3 * Math.abs(want), "epoch " + (e + 1) + " training loss");
        }
        console.resetErr();
        assertEquals(0, Main.run("evaluate", "--run", gpu.toString(), "--data", corpus.toString(), "--device",
                "emulated-cuda", "--out", dir.resolve("eval").toString()), console.err());
        assertTrue(Files.isRegularFile(dir.resolve("eval/metrics.json")));
    }

    private static double number(String jsonLine, String key) {
        Object v = ((java.util.Map<?, ?>) ser.io.Json.parse(jsonLine)).get(key);
        return ((Number) v).doubleValue();
    }

    /** Every element within {@code tol} of the largest |cpu| value (the tolerance of the engine's state checks). */
    private static void assertClose(float[] cpu, float[] other, double tol, String what) {
        assertEquals(cpu.length, other.length, what);
        double max = 0, worst = 0;
        for (float v : cpu) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i] - other[i]));
        assertTrue(worst <= tol * max, what + ": worst " + worst + " of max " + max);
        assertTrue(cpu.length > 0);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(EmulatedDeviceTest.class.getResource("/fixtures/hubert").toURI());
    }
}
