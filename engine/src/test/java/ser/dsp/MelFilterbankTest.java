package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MelFilterbankTest {

    static final MelConfig SEED = MelConfig.seed();
    static final MelConfig SLANEY = new MelConfig(16000, 1024, 640, 320, 128, 0, 8000, 2.0, "slaney", "slaney", null,
            true, "reflect");

    @Test
    void htkFiltersAreBitIdenticalToTorchaudios() throws IOException {
        float[][] ours = new MelFilterbank(SEED).dense();
        float[] torch = MelFixtures.npy(MelFixtures.dir().resolve("fbank-htk.npy")).data();
        for (int k = 0; k < 513; k++) {
            for (int f = 0; f < 128; f++) assertEquals(torch[k * 128 + f], ours[k][f], 0, "bin " + k + " mel " + f);
        }
    }

    /** Slaney's mel points go through torch's vectorised exp, which rounds a few differently from ours. */
    @Test
    void slaneyFiltersMatchTorchaudiosToAFewUlpsWithTheSameSupport() throws IOException {
        float[][] ours = new MelFilterbank(SLANEY).dense();
        float[] torch = MelFixtures.npy(MelFixtures.dir().resolve("fbank-slaney.npy")).data();
        for (int k = 0; k < 513; k++) {
            for (int f = 0; f < 128; f++) {
                float want = torch[k * 128 + f];
                assertEquals(want == 0, ours[k][f] == 0, "support at bin " + k + " mel " + f);
                assertEquals(want, ours[k][f], 2e-3 * want, "bin " + k + " mel " + f);
            }
        }
    }

    @Test
    void storesOnlyEachFiltersRun() {
        MelFilterbank fb = new MelFilterbank(SEED);
        int nonZero = 0;
        for (float[] row : fb.dense()) for (float w : row) if (w != 0) nonZero++;
        assertEquals(nonZero, fb.storedWeights());  // the seed's triangles have no interior zeros
        assertTrue(fb.storedWeights() < 2 * fb.bins(), fb.storedWeights() + " weights stored");
    }

    @Test
    void batchedMelMatchesScalar() {
        MelFilterbank fb = new MelFilterbank(SEED);
        int lanes = BatchFft.SPECIES.length(), bins = fb.bins(), mels = fb.mels();
        Random random = new Random(3);
        float[] power = new float[bins * lanes];
        for (int i = 0; i < power.length; i++) power[i] = (float) Math.exp(10 * random.nextGaussian());
        float[] batched = new float[mels * lanes];
        fb.applyBatch(power, batched);
        float[] frame = new float[bins], mel = new float[mels];
        for (int l = 0; l < lanes; l++) {
            for (int k = 0; k < bins; k++) frame[k] = power[k * lanes + l];
            fb.apply(frame, mel);
            for (int f = 0; f < mels; f++) assertEquals(mel[f], batched[f * lanes + l], 1e-6 * mel[f], "mel " + f);
        }
    }

    @ParameterizedTest
    @EnumSource(MelScale.class)
    void melScalesInvertAndAgreeAtTheirAnchors(MelScale scale) {
        for (double hz : new double[] {0, 60, 700, 1000, 3999, 8000, 22050}) {
            assertEquals(hz, scale.melToHz(scale.hzToMel(hz)), 1e-9 * (1 + hz));
            assertEquals(hz, scale.melToHz((float) scale.hzToMel(hz)), 1e-5 * (1 + hz));
        }
        assertEquals(scale == MelScale.HTK ? 1000.0 : 15.0, scale.hzToMel(1000), 0.1);
    }

    @Test
    void linspaceHitsBothEnds() {
        float[] x = MelFilterbank.linspace(0, 2840.0226f, 130);
        assertEquals(0f, x[0]);
        assertEquals(2840.0226f, x[129]);
        for (int i = 1; i < x.length; i++) assertTrue(x[i] > x[i - 1]);
    }
}
