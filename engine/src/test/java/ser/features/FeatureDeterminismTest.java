package ser.features;

import org.junit.jupiter.api.Test;
import ser.dsp.MelConfig;
import ser.tensor.Tensor;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The same clip gives the same features, bit for bit, before and after the JIT has compiled the feature code:
 * a run that extracts features early (interpreted) and late (compiled) must not see two versions of one file.
 */
class FeatureDeterminismTest {

    @Test
    void featuresDoNotChangeOnceTheCodeIsCompiled() {
        LogMelFeatures features = new LogMelFeatures(new FeatureConfig(MelConfig.seed(), 0.25, "none"));
        SplittableRandom r = new SplittableRandom(1);
        float[] clip = new float[4000];
        for (int i = 0; i < clip.length; i++) clip[i] = (float) (0.3 * Math.sin(i * 0.07) + 0.05 * r.nextGaussian());
        float[] cold = features.spectrogram(clip).toArray();
        Tensor warm = null;
        for (int k = 0; k < 20_000; k++) warm = features.spectrogram(clip); // far past the C2 compile thresholds
        assertArrayEquals(cold, warm.toArray());
    }
}
