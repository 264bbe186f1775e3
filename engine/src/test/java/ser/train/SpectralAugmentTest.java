package ser.train;

import org.junit.jupiter.api.Test;
import ser.run.AugmentConfig;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SpectralAugmentTest {

    private static final int BANDS = 8, FRAMES = 12;

    private static float[] image() {
        float[] x = new float[BANDS * FRAMES];
        for (int b = 0; b < BANDS; b++) for (int t = 0; t < FRAMES; t++) x[b * FRAMES + t] = b * 100 + t;
        return x;
    }

    @Test
    void unitFactorsChangeNothingAndFactorsMoveContentAsStated() {
        float[] x = image(), scratch = new float[x.length];
        SpectralAugment.warpBands(x, 0, BANDS, FRAMES, 1.0, scratch);
        SpectralAugment.stretchTime(x, 0, BANDS, FRAMES, 1.0, scratch);
        assertArrayEquals(image(), x);

        SpectralAugment.warpBands(x, 0, BANDS, FRAMES, 2.0, scratch);
        assertEquals(150, x[3 * FRAMES], 1e-4, "band 3 of the result is band 1.5 of the input");
        x = image();
        SpectralAugment.stretchTime(x, 0, BANDS, FRAMES, 0.5, scratch);
        assertEquals(100 + 2.5f, x[FRAMES + 5], 1e-4, "frame 5 of the result is frame 2.5 of the input");
        assertEquals(100 + 11, image()[FRAMES + 11]);
    }

    @Test
    void theEqualiserAddsOneOffsetPerBandToEveryFrame() {
        float[] x = image();
        SpectralAugment.apply(x, 1, BANDS, FRAMES, new AugmentConfig(0, 0, 0, 0, 0, 1.0, 0, 0), new SplittableRandom(3));
        float[] y = image();
        for (int b = 0; b < BANDS; b++) {
            float offset = x[b * FRAMES] - y[b * FRAMES];
            for (int t = 1; t < FRAMES; t++) assertEquals(offset, x[b * FRAMES + t] - y[b * FRAMES + t], 1e-3);
        }
        assertNotEquals(x[0] - y[0], x[(BANDS - 1) * FRAMES] - y[(BANDS - 1) * FRAMES], "the curve is not flat");
    }

    @Test
    void optionsAtZeroDrawNothing() {
        SplittableRandom a = new SplittableRandom(5), b = new SplittableRandom(5);
        SpectralAugment.apply(image(), 1, BANDS, FRAMES, AugmentConfig.NONE, a);
        assertEquals(b.nextLong(), a.nextLong());
    }
}
