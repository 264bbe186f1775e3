package ser.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kernel against its CPU reference on awkward sizes (the checks live in {@link KernelChecks}, which
 * {@link GpuCheck} runs too). Skips, with the reason, where no GPU is usable.
 */
class KernelParityTest {

    static Cuda.Device dev;

    @BeforeAll
    static void gpu() {
        dev = Gpus.require();
    }

    static void assertAllPass(List<KernelChecks.Check> checks) {
        assertFalse(checks.isEmpty());
        for (KernelChecks.Check c : checks) assertTrue(c.passed(), c.line());
    }

    @Test
    void featureEncoderKernels() {
        assertAllPass(KernelChecks.featureEncoderKernels(dev));
    }

    @Test
    void elementwiseKernels() {
        assertAllPass(KernelChecks.elementwiseKernels(dev));
    }

    @Test
    void layerNormAndMaskedSoftmax() {
        assertAllPass(KernelChecks.layerNormAndMaskedSoftmax(dev));
    }

    @Test
    void positionalConvolutionAndPooling() {
        assertAllPass(KernelChecks.positionalConvolutionAndPooling(dev));
    }

    @Test
    void gemmPrecisions() {
        assertAllPass(KernelChecks.gemms(dev));
    }
}
