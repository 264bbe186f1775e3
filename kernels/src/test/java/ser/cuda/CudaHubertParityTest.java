package ser.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.hubert.WeightSource;
import ser.hubert.convert.HubertConverter;
import ser.io.Npy;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link CudaHubert} against the CPU engine on the engine's small fixture models (post-LN with group norm, and
 * pre-LN with layer norms and normalised input), one clip and a padded batch. Skips where no GPU is usable.
 */
class CudaHubertParityTest {

    static final Path FIXTURES = Path.of("../engine/src/test/resources/fixtures/hubert");
    static Cuda.Device dev;

    @BeforeAll
    static void gpu() {
        Cuda.Availability a = Cuda.availability();
        assumeTrue(a.available(), "no usable GPU: " + a.reason());
        dev = Cuda.device();
    }

    @ParameterizedTest
    @CsvSource({"small-base,synth-single,FP32", "small-base,synth-batch,FP32", "small-large,synth-batch,FP32",
            "small-base,synth-batch,TF32", "small-base,synth-batch,BF16", "small-large,synth-batch,BF16"})
    void hiddenStatesMatchTheCpuEngine(String model, String input, Cublas.Precision precision) {
        Path hf = FIXTURES.resolve(model).resolve("hf");
        HubertConverter.Converted c = HubertConverter.read(hf, null);
        WeightSource w = WeightSource.of(c.tensors(), hf.toString());
        List<float[]> clips = List.of("synth-1.npy", "synth-2.npy").subList(0, input.equals("synth-single") ? 1 : 2)
                .stream().map(f -> Npy.read(FIXTURES.resolve("inputs").resolve(f)).toArray()).toList();
        HubertOutput cpu = new Hubert(c.config(), w).forward(clips);
        try (CudaHubert gpu = new CudaHubert(dev, c.config(), w, precision)) {
            StateComparison cmp = StateComparison.of(model + "/" + input, cpu, gpu.forward(clips),
                    GpuCheck.tolerance(precision));
            assertTrue(cmp.passed(), cmp.line());
        }
    }
}
