package ser.features;

import org.junit.jupiter.api.Test;
import ser.prosody.ProsodyVector;
import ser.tensor.Tensor;

import java.util.HashSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProsodyFeaturesTest {

    private final ProsodyFeatures features = new ProsodyFeatures(ProsodyFeatureConfig.defaults());

    @Test
    void describesAFixedVectorWithUniqueNames() {
        assertEquals("prosody", features.kind());
        assertEquals(16_000, features.sampleRate());
        assertArrayEquals(new int[] {ProsodyVector.size()}, features.inputShape());
        assertEquals(ProsodyVector.size(), new HashSet<>(ProsodyVector.NAMES).size());
        assertTrue(ProsodyVector.size() >= 60 && ProsodyVector.size() <= 90, "size " + ProsodyVector.size());
        assertEquals("f0_semitone_mean", ProsodyVector.NAMES.get(0));
        assertTrue(features.cacheKey().contains(ProsodyFeatureConfig.VERSION));
        assertTrue(features.cacheKey().contains("pitch_floor=75.0"));
        assertNotEquals(features.cacheKey(), new ProsodyFeatures(new ProsodyFeatureConfig(60, 600, 5500)).cacheKey());
        assertEquals(Double.POSITIVE_INFINITY, features.clipSeconds());
    }

    @Test
    void finiteOnSilenceShortClipsAndNoise() {
        finite(new float[48_000], "3 s of silence");
        finite(new float[1], "one sample");
        finite(new float[0], "no samples");
        float[] tone = new float[1_600];
        for (int i = 0; i < tone.length; i++) tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 200 * i / 16_000.0));
        finite(tone, "0.1 s of a 200 Hz tone");
        Random random = new Random(7);
        float[] noise = new float[32_000];
        for (int i = 0; i < noise.length; i++) noise[i] = (float) (0.1 * random.nextGaussian());
        float[] values = finite(noise, "2 s of white noise");
        assertTrue(values[ProsodyVector.NAMES.indexOf("voiced_share")] < 0.2f, "noise is mostly unvoiced");
    }

    @Test
    void aVoicedToneHasItsPitch() {
        float[] tone = new float[32_000];
        for (int i = 0; i < tone.length; i++) {
            double t = i / 16_000.0;
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * t) + 0.1 * Math.sin(2 * Math.PI * 440 * t));
        }
        float[] values = finite(tone, "220 Hz");
        double semitones = 12 * Math.log(220 / 27.5) / Math.log(2);
        assertEquals(semitones, values[ProsodyVector.NAMES.indexOf("f0_semitone_mean")], 0.05);
        assertTrue(values[ProsodyVector.NAMES.indexOf("voiced_share")] > 0.9f);
        assertTrue(values[ProsodyVector.NAMES.indexOf("hnr_mean")] > 20f);
    }

    private float[] finite(float[] samples, String what) {
        Tensor t = features.compute(samples);
        assertArrayEquals(features.inputShape(), t.shape(), what);
        float[] values = features.toInput(t);
        for (int i = 0; i < values.length; i++) assertTrue(Float.isFinite(values[i]), what + ": " + ProsodyVector.NAMES.get(i) + " = " + values[i]);
        return values;
    }
}
