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
