package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.SerException;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batched power spectra against the scalar path, frame by frame, edges and padding included. */
class StftTest {

    static MelConfig config(int nFft, int win, int hop, boolean center, String padMode) {
        return new MelConfig(16000, nFft, win, hop, 40, 0, 8000, 2.0, "htk", null, null, center, padMode);
    }

    @ParameterizedTest
    @CsvSource({
            "1024, 640, 320, true, reflect, 16001",   // the seed, odd length
            "1024, 640, 320, true, reflect, 513",     // shortest clip reflect allows
            "1024, 640, 320, true, constant, 300",    // shorter than the pad
            "1024, 640, 320, true, constant, 0",
            "256, 256, 100, true, reflect, 4321",     // window fills the frame
            "64, 33, 7, true, reflect, 500",          // odd window, odd hop
            "1024, 640, 320, false, reflect, 5000",   // no centring
    })
    void batchedSpectraMatchScalarFramesEverywhere(int nFft, int win, int hop, boolean center, String padMode, int n) {
        Stft stft = new Stft(config(nFft, win, hop, center, padMode));
        float[] x = FftTest.gaussian(n, new Random(n));
        int frames = stft.frames(n), lanes = stft.lanes(), bins = stft.bins();
        Stft.Workspace ws = stft.workspace();
        float[] re = new float[bins], im = new float[bins];
        for (int first = 0; first < frames; first += lanes) {
            float[] power = stft.powerSpectra(x, first, ws);
            for (int t = first; t < Math.min(frames, first + lanes); t++) {
                float[] frame = stft.frame(x, t);
                stft.fft().realForward(frame, re, im);
                double allowed = 1e-5 * (1 + energy(frame)) * Math.log(nFft);
                for (int k = 0; k < bins; k++) {
                    assertEquals(re[k] * re[k] + im[k] * im[k], power[k * lanes + t - first], allowed,
                            "frame " + t + " bin " + k);
                }
            }
        }
    }

    @Test
    void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        Stft stft = new Stft(config(8, 8, 4, true, "reflect"));  // pads 4 on each side
        float[] x = {10, 11, 12, 13, 14, 15, 16};
        assertArrayEquals(new float[] {0, 14, 13, 12, 11, 10, 11, 12, 13, 14, 15, 16, 15, 14, 13, 12, 0},
                padded(stft, x, -5, 12));
    }

    @Test
    void constantPaddingIsZeros() {
        Stft stft = new Stft(config(8, 8, 4, true, "constant"));
        assertArrayEquals(new float[] {0, 0, 10, 11, 12, 0, 0}, padded(stft, new float[] {10, 11, 12}, -2, 5));
    }

    @Test
    void frameCountsFollowTorchStft() {
        Stft centred = new Stft(config(1024, 640, 320, true, "reflect"));
        assertEquals(1 + 16000 / 320, centred.frames(16000));
        assertEquals(1 + 16001 / 320, centred.frames(16001));
        assertEquals(2, centred.frames(513));
        Stft plain = new Stft(config(1024, 640, 320, false, "reflect"));
        assertEquals(1, plain.frames(1024));
        assertEquals(1 + (5000 - 1024) / 320, plain.frames(5000));
        assertEquals(1, new Stft(config(1024, 640, 320, true, "constant")).frames(0));
    }

    @Test
    void clipsTorchRefusesAreRefusedWithAReason() {
        var reflect = assertThrows(SerException.class, () -> new Stft(config(1024, 640, 320, true, "reflect")).frames(512));
        assertTrue(reflect.getMessage().contains("pad_mode: constant"), reflect.getMessage());
        var plain = assertThrows(SerException.class, () -> new Stft(config(1024, 640, 320, false, "reflect")).frames(1023));
        assertTrue(plain.getMessage().contains("shorter than n_fft=1024"), plain.getMessage());
    }

    private static float[] padded(Stft stft, float[] x, int from, int to) {
        float[] out = new float[to - from];
        for (int s = from; s < to; s++) out[s - from] = stft.padded(x, s);
        return out;
    }

    private static double energy(float[] x) {
        double e = 0;
        for (float v : x) e += v * v;
        return e;
    }
}
