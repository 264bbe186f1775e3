package ser.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** {@link LogMel#paddedSamples}: the interior copied whole, the padding sample by sample, as {@link Stft#padded} gives it. */
class PaddedSamplesTest {

    @Test
    void everyRangeAsSampleBySample() {
        for (String padMode : new String[] {"reflect", "constant"}) {
            MelConfig cfg = new MelConfig(16000, 16, 16, 4, 8, 0.0, 8000.0, 2.0, "htk", null, null, true, padMode);
            LogMel mel = new LogMel(cfg);
            Stft stft = new Stft(cfg);
            for (int n : new int[] {9, 20, 40}) {
                float[] clip = new float[n];
                for (int i = 0; i < n; i++) clip[i] = i + 1;
                for (long start = -8; start <= n + 8; start++) {
                    for (int length = 0; start + length <= n + 8; length++) {
                        // The whole clip, or (where the range reflects nothing) only the samples around the range.
                        boolean inside = start >= 9 && start + length + 9 <= n;
                        long lo = inside ? start - 9 : 0, hi = inside ? start + length + 9 : n;
                        float[] x = java.util.Arrays.copyOfRange(clip, (int) lo, (int) hi);
                        float[] expected = new float[length];
                        for (int i = 0; i < length; i++) expected[i] = stft.padded(x, lo, n, start + i);
                        assertArrayEquals(expected, mel.paddedSamples(x, lo, n, start, length), padMode + " " + n + " " + start + " " + length);
                    }
                }
            }
        }
    }
}
