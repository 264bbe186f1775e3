package ser.dsp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * LogMel's scalar path (the first frames a JVM computes) gives the vector path's bits: whole clips and streamed
 * blocks, over configs that reach every branch of the FFT (odd and even log2 of m, a window shorter than n_fft),
 * both paddings, no centring, power 1 and 2, Slaney filters.
 */
class LogMelScalarPathTest {

    static Stream<MelConfig> configs() {
        return Stream.of(
                MelConfig.seed(),
                new MelConfig(16000, 512, 400, 160, 80, 0, 8000, 2.0, "htk", null, null, true, "reflect"),
                new MelConfig(16000, 512, 512, 128, 64, 20, 7600, 1.0, "slaney", "slaney", null, true, "constant"),
                new MelConfig(22050, 2048, 2048, 512, 128, 0, 11025, 2.0, "htk", null, null, false, "reflect"),
                new MelConfig(8000, 256, 200, 80, 40, 0, 4000, 1.0, "htk", null, 60.0, true, "reflect"));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void wholeClipsAreBitIdentical(MelConfig cfg) {
        for (int n : new int[] {cfg.nFft() + 1, 4799, 16001, 48000}) {
            float[] x = LogMelTest.speechLike(n, new Random(n));
            x[n / 3] = 0.9f;
            float[] vector = new LogMel(cfg, 0).compute(x).toArray();
            float[] scalar = new LogMel(cfg, Long.MAX_VALUE).compute(x).toArray();
            assertArrayEquals(vector, scalar, n + " samples");
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void streamedBlocksAreBitIdentical(MelConfig cfg) {
        LogMel vector = new LogMel(cfg, 0), scalar = new LogMel(cfg, Long.MAX_VALUE);
        int n = 30011, frames = vector.frames(n), lanes = vector.lanes();
        float[] x = LogMelTest.speechLike(n, new Random(5));
        for (int first = 0; first < frames; first += 2 * lanes) {
            int count = Math.min(2 * lanes, frames - first);
            float[] window = vector.paddedSamples(x, 0, n, (long) first * cfg.hopLength() - vector.pad(), vector.windowLength(count));
            assertArrayEquals(vector.computeBlock(window, first, count), scalar.computeBlock(window, first, count), "block at " + first);
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theBudgetIsSpentWholeCallsAtATime(MelConfig cfg) {
        LogMel logMel = new LogMel(cfg, 100);
        float[] x = LogMelTest.speechLike(60 * cfg.hopLength(), new Random(1));
        float[] first = logMel.compute(x).toArray();   // about 61 frames: scalar, budget left about 39
        float[] second = logMel.compute(x).toArray();  // more than is left: vector
        assertArrayEquals(first, second);
        assertEquals(first.length, new LogMel(cfg, 0).compute(x).toArray().length);
    }
}
