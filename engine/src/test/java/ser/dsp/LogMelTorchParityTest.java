package ser.dsp;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import ser.SerException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * LogMel against torchaudio 0.13 (MelSpectrogram + AmplitudeToDB), on the oracle's fixtures: at most 0.01 dB apart
 * on every value within 80 dB of the spectrogram's maximum, at most 0.1 dB anywhere.
 *
 * <p>"Anywhere" stops at float32's noise floor. Torch computes in float32, and more than about 110 dB below the
 * maximum (a pure tone's far leakage, in the chirp case) rounding noise alone moves its values by up to 1.3 dB from
 * the exact answer: noise that no other float32 FFT reproduces. There, with the oracle's float64 answer at hand,
 * we ask instead that ours be no noisier than torch's: RMS distance to the exact answer within 25% of torch's.
 */
class LogMelTorchParityTest {

    static final double NEAR_TOLERANCE_DB = 0.01, FAR_TOLERANCE_DB = 0.1, NEAR_RANGE_DB = 80, NOISE_FLOOR_DB = 110;

    @TestFactory
    Stream<DynamicTest> fixtureCasesMatchTorch() throws IOException {
        Path dir = MelFixtures.dir();
        return MelFixtures.table("cases.tsv").stream().map(c -> DynamicTest.dynamicTest(c[0], () -> {
            MelConfig config = MelConfig.load(dir.resolve(c[1]));
            float[] samples = MelFixtures.npy(dir.resolve(c[2])).data();
            MelFixtures.Array torch = MelFixtures.npy(dir.resolve(c[3]));
            float[] exact = MelFixtures.npy(dir.resolve(c[4])).data();
            assertMatchesTorch(c[0], torch, exact, new LogMel(config).compute(samples));
            assertMatchesTorch(c[0] + " (reference)", torch, exact, new LogMelReference(config).compute(samples));
        }));
    }

    /** Whole RAVDESS clips, read from the shared data set; the fixtures hold only torch's output. */
    @TestFactory
    Stream<DynamicTest> fullRavdessClipsMatchTorch() throws IOException {
        String shared = System.getProperty("ser.shared");
        Path ravdess = shared == null ? null : Path.of(shared, "data", "ravdess-16k");
        assumeTrue(ravdess != null && Files.isDirectory(ravdess), "no shared RAVDESS (ser.shared)");
        LogMel logMel = new LogMel(MelConfig.seed());
        return MelFixtures.table("ravdess-full.tsv").stream().map(c -> DynamicTest.dynamicTest(c[0], () ->
                assertMatchesTorch(c[0], MelFixtures.npy(MelFixtures.dir().resolve(c[1])), null,
                        logMel.compute(MelFixtures.wav16(ravdess.resolve(c[0]))))));
    }

    @Test
    void clipTooShortForReflectPaddingIsRefusedAsTorchRefusesIt() {
        LogMel logMel = new LogMel(MelConfig.seed());
        var e = assertThrows(SerException.class, () -> logMel.compute(new float[512]));
        assertTrue(e.getMessage().contains("512 samples") && e.getMessage().contains("513"), e.getMessage());
    }

    /** {@code exact}: the float64 answer, or null to hold every value to 0.1 dB, even below the noise floor. */
    static void assertMatchesTorch(String name, MelFixtures.Array torch, float[] exact, Tensor actual) {
        assertArrayEquals(torch.shape(), actual.shape(), name + ": shape");
        float[] want = torch.data(), got = actual.toArray();
        float max = Float.NEGATIVE_INFINITY;
        for (float v : want) max = Math.max(max, v);
        double worstNear = 0, worstFar = 0, oursNoise = 0, torchNoise = 0;
        int failedAt = -1, noisy = 0;
        for (int i = 0; i < want.length; i++) {
            double diff = Math.abs(want[i] - got[i]);
            if (exact != null && want[i] < max - NOISE_FLOOR_DB) {
                oursNoise += sq(got[i] - exact[i]);
                torchNoise += sq(want[i] - exact[i]);
                noisy++;
                continue;
            }
            boolean near = want[i] >= max - NEAR_RANGE_DB;
            if (near) worstNear = Math.max(worstNear, diff);
            else worstFar = Math.max(worstFar, diff);
            if (failedAt < 0 && !(diff <= (near ? NEAR_TOLERANCE_DB : FAR_TOLERANCE_DB))) failedAt = i;
        }
        String report = String.format("%s: worst %.5f dB within %.0f dB of the max (%.1f dB), %.5f dB below;"
                        + " noise below %.0f dB (RMS to exact): ours %.4f, torch's %.4f%s", name, worstNear,
                NEAR_RANGE_DB, max, worstFar, NOISE_FLOOR_DB, Math.sqrt(oursNoise / Math.max(noisy, 1)),
                Math.sqrt(torchNoise / Math.max(noisy, 1)), failedAt < 0 ? "" : String.format(
                        "; out of tolerance at [%d, %d]: torch %.4f, ours %.4f", failedAt / actual.dim(1),
                        failedAt % actual.dim(1), want[failedAt], got[failedAt]));
        System.out.println(report);
        assertTrue(failedAt < 0 && oursNoise <= sq(1.25) * torchNoise, report);
    }

    private static double sq(double x) {
        return x * x;
    }
}
