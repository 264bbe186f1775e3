package ser.train;

import org.junit.jupiter.api.Test;
import ser.dsp.MelConfig;
import ser.features.FeatureConfig;
import ser.features.LogMelFeatures;
import ser.features.SpectrogramInput;
import ser.run.AugmentConfig;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomAugmentTest {

    private static final int BANDS = 128, FRAMES = 40, SIZE = BANDS * FRAMES;
    private static final SpectrogramInput INPUT =
            new LogMelFeatures(new FeatureConfig(MelConfig.seed(), 3.0, "none")).spectrogramInput();

    private static AugmentConfig only(double noise, double babble, double reverb, double bandLimit, double snr) {
        return new AugmentConfig(0, 0, 0, 0, 0, 0, 0, 0, noise, babble, reverb, bandLimit, snr, snr);
    }

    /** Two examples: a steady 40 dB everywhere, and the same with one loud frame. */
    private static float[] batch() {
        float[] x = new float[2 * SIZE];
        java.util.Arrays.fill(x, 40f);
        for (int k = 0; k < BANDS; k++) x[SIZE + k * FRAMES + 10] = 80f;
        return x;
    }

    private static double meanPower(float[] x, int b) {
        double sum = 0;
        for (int i = b * SIZE; i < (b + 1) * SIZE; i++) sum += Math.pow(10, x[i] / 10.0);
        return sum / SIZE;
    }

    @Test
    void bandCentresRiseToTheTopOfTheMelRange() {
        assertEquals(BANDS, INPUT.bandHz().length);
        assertTrue(INPUT.bandHz()[0] > 0 && INPUT.bandHz()[0] < 50);
        assertTrue(INPUT.bandHz()[BANDS - 1] > 7800 && INPUT.bandHz()[BANDS - 1] < 8000);
        assertEquals(0.02, INPUT.frameSeconds(), 1e-12);
    }

    @Test
    void noiseAtZeroDecibelsDoublesThePower() {
        float[] x = batch();
        RoomAugment.apply(x, batch(), 2, 0, BANDS, FRAMES, INPUT, only(1, 0, 0, 0, 0), new SplittableRandom(1));
        assertEquals(2.0, meanPower(x, 0) / meanPower(batch(), 0), 0.05);
    }

    @Test
    void babbleAtTenDecibelsAddsATenthOfTheOtherUtterance() {
        float[] x = batch();
        RoomAugment.apply(x, batch(), 2, 0, BANDS, FRAMES, INPUT, only(0, 1, 0, 0, 10), new SplittableRandom(1));
        assertEquals(1.1, meanPower(x, 0) / meanPower(batch(), 0), 1e-3);
    }

    @Test
    void reverberationGivesALoudFrameADecayingTail() {
        float[] x = batch();
        RoomAugment.apply(x, batch(), 2, 1, BANDS, FRAMES, INPUT, only(0, 0, 1, 0, 0), new SplittableRandom(2));
        int band = 50 * FRAMES + SIZE;
        assertTrue(x[band + 11] > 40.5f, "the frame after the loud one carries its tail: " + x[band + 11]);
        for (int t = 12; t < 30; t++) assertTrue(x[band + t] <= x[band + t - 1] + 1e-4, "decays at " + t);
        assertEquals(40f, x[band], 1e-4, "the first frame has no past to echo");
        assertTrue(x[band + 5] > 40.1f, "a steady sound builds up its own reverberation");
    }

    @Test
    void bandLimitFloorsTheTopBands() {
        float[] x = batch();
        for (int i = 0; i < SIZE; i++) x[i] += (i / FRAMES) * 0.01f;
        float[] before = x.clone();
        RoomAugment.apply(x, before, 2, 0, BANDS, FRAMES, INPUT, only(0, 0, 0, 1, 0), new SplittableRandom(3));
        assertEquals(40f, x[(BANDS - 1) * FRAMES], 1e-3, "the top band falls to the quietest value of the take");
        assertEquals(before[60 * FRAMES], x[60 * FRAMES], 1e-3, "about 1.8 kHz stays");
    }

    @Test
    void nothingOnDrawsNothingAndChangesNothing() {
        float[] x = batch();
        SplittableRandom a = new SplittableRandom(9), b = new SplittableRandom(9);
        RoomAugment.apply(x, batch(), 2, 0, BANDS, FRAMES, INPUT, AugmentConfig.NONE, a);
        assertArrayEquals(batch(), x, 1e-4f);
        assertEquals(b.nextLong(), a.nextLong());
    }
}
