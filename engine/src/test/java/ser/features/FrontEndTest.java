package ser.features;

import org.junit.jupiter.api.Test;
import ser.audio.AudioLoader;
import ser.dsp.MelConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The front end's room-independent options: silence trimming, repeat padding, per-band normalisation. */
class FrontEndTest {

    private static final int RATE = 16000;

    /** 0.5 s of silence, 1 s of a 200 Hz tone, 0.7 s of very quiet noise (60 dB down). */
    private static float[] take() {
        float[] x = new float[(int) (2.2 * RATE)];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            if (i >= RATE / 2 && i < RATE * 3 / 2) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 200 * i / RATE));
            else if (i >= RATE * 3 / 2) x[i] = (float) (0.0005 * (r.nextDouble() - 0.5));
        }
        return x;
    }

    @Test
    void silenceTrimKeepsTheSpeechAndAMargin() {
        float[] trimmed = SilenceTrim.apply(take(), RATE);
        double margin = SilenceTrim.MARGIN_SECONDS * RATE;
        assertEquals(RATE + 2 * margin, trimmed.length, 0.011 * RATE);
        float[] silence = new float[RATE];
        assertSame(silence, SilenceTrim.apply(silence, RATE), "all silence stays as it is");
    }

    @Test
    void repeatPaddingFillsTheClipWithTheTakeAgain() {
        float[] x = {1, 2, 3};
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 1}, AudioLoader.repeatOrTrim(x, 7));
        assertArrayEquals(new float[] {1, 2}, AudioLoader.repeatOrTrim(x, 2));
        assertArrayEquals(new float[4], AudioLoader.repeatOrTrim(new float[0], 4));
    }

    @Test
    void perBandNormalisationGivesEachBandMeanZeroAndUnitDeviation() {
        int bands = 4, frames = 50;
        float[] x = new float[bands * frames];
        for (int b = 0; b < bands; b++) for (int t = 0; t < frames; t++) x[b * frames + t] = 10 * b + (float) Math.sin(t * (b + 1));
        Normalization.perBand(x, bands);
        for (int b = 0; b < bands; b++) {
            double mean = 0, sq = 0;
            for (int t = 0; t < frames; t++) mean += x[b * frames + t];
            mean /= frames;
            for (int t = 0; t < frames; t++) sq += Math.pow(x[b * frames + t] - mean, 2);
            assertEquals(0, mean, 1e-5);
            assertEquals(1, Math.sqrt(sq / frames), 1e-4);
        }
    }

    @Test
    void trimAndPadChangeTheCacheKeyOnlyWhenUsed() {
        FeatureConfig seed = new FeatureConfig(MelConfig.seed(), 3.0, "none");
        assertEquals(seed.cacheKey(), new FeatureConfig(MelConfig.seed(), 3.0, "bins", "none", "zero").cacheKey());
        assertNotEquals(seed.cacheKey(), new FeatureConfig(MelConfig.seed(), 3.0, "none", "silence", "repeat").cacheKey());
        LogMelFeatures f = new LogMelFeatures(new FeatureConfig(MelConfig.seed(), 1.0, "none", "silence", "repeat"));
        float[] spectrogram = f.compute(take()).contiguous().toArray();
        for (float v : spectrogram) assertNotEquals(-100f, v, "no digital silence left in the input");
    }
}
