package ser.prosody;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The functionals on hand-made tracks whose statistics are known by hand. */
class FunctionalsTest {

    private static final double NaN = Double.NaN;

    @Test
    void momentsAndPercentilesSkipUndefinedFrames() {
        double[] x = {NaN, 1, 2, NaN, 3, 4, 5, NaN};
        assertEquals(3, Functionals.mean(x), 1e-12);
        assertEquals(Math.sqrt(2), Functionals.std(x), 1e-12);
        assertEquals(Math.sqrt(2) / 3, Functionals.coefficientOfVariation(x), 1e-12);
        assertEquals(1.8, Functionals.percentile(x, 20), 1e-12);
        assertEquals(3, Functionals.percentile(x, 50), 1e-12);
        assertEquals(4.2, Functionals.percentile(x, 80), 1e-12);
        assertEquals(NaN, Functionals.mean(new double[] {NaN}));
    }

    @Test
    void slopesSplitRisingFromFallingPerSecond() {
        double[][] parts = Functionals.slopes(new double[] {0, 1, 3, NaN, 5, 4, 4}, 0.01);
        assertArrayEquals(new double[] {100, 200}, parts[0], 1e-9);
        assertArrayEquals(new double[] {-100}, parts[1], 1e-9);
    }

    @Test
    void segmentsAndPeaks() {
        boolean[] voicing = {false, true, true, true, false, false, true, true, false};
        assertArrayEquals(new double[] {0.03, 0.02}, Functionals.segments(voicing, true, 0.01), 1e-12);
        assertArrayEquals(new double[] {0.01, 0.02, 0.01}, Functionals.segments(voicing, false, 0.01), 1e-12);
        // Two syllable-like bumps above the mean, and a small ripple below it that does not count.
        double[] loudness = {0, 0, 5, 9, 5, 0, 1, 0, 0, 4, 8, 4, 0, 0};
        assertEquals(2, Functionals.peaks(loudness));
    }

    @Test
    void theVectorOfAHandMadeUtterance() {
        int n = 10;
        boolean[] voiced = {false, true, true, true, true, false, false, true, true, false};
        double[] f0 = new double[n], nan = new double[n];
        java.util.Arrays.fill(nan, NaN);
        double[] hz = {0, 100, 110, 120, 110, 0, 0, 200, 200, 0};
        for (int t = 0; t < n; t++) f0[t] = voiced[t] ? ProsodyTracks.semitones(hz[t]) : NaN;
        double[] ramp = new double[n];
        for (int t = 0; t < n; t++) ramp[t] = t;
        SpectralDescriptors.Tracks spectral = new SpectralDescriptors.Tracks(ramp, ramp, ramp, ramp, ramp, ramp, ramp,
                new double[][] {ramp, ramp, ramp, ramp});
        ProsodyTracks tracks = new ProsodyTracks(0.01, 0.1, voiced, f0, nan, nan, nan, nan, spectral, 0.01, NaN);
        float[] v = ProsodyVector.of(tracks);
        assertEquals(ProsodyVector.size(), v.length);
        assertEquals(12 * Math.log(200 / 27.5) / Math.log(2), ProsodyTracks.semitones(200), 1e-12);
        assertEquals(Functionals.mean(f0), v[index("f0_semitone_mean")], 1e-5);
        assertEquals((ProsodyTracks.semitones(110) + ProsodyTracks.semitones(120)) / 2, v[index("f0_semitone_p50")], 1e-4);
        assertEquals(0.01f, v[index("jitter_local")]);
        assertEquals(0f, v[index("shimmer_local")], "undefined is written as 0");
        assertEquals(0f, v[index("hnr_mean")]);
        assertEquals(0.6f, v[index("voiced_share")], 1e-6);
        assertEquals(20f, v[index("voiced_segments_per_second")], 1e-4);
        assertEquals(0.03f, v[index("voiced_segment_mean_seconds")], 1e-6);
        assertEquals(4.5f, v[index("loudness_mean")], 1e-6);
        assertEquals(100f, v[index("loudness_rising_slope_mean")], 1e-4);
        assertEquals(0f, v[index("loudness_falling_slope_mean")]);
        // Only the rise 100 -> 110 -> 120 Hz and the fall to 110, and 200 -> 200 (no slope), count for F0 slopes.
        assertEquals((ProsodyTracks.semitones(110) - ProsodyTracks.semitones(100) + ProsodyTracks.semitones(120)
                - ProsodyTracks.semitones(110)) / 2 / 0.01, v[index("f0_rising_slope_mean")], 1e-3);
        assertEquals(Functionals.mean(new double[] {1, 2, 3, 4, 7, 8}), v[index("alpha_ratio_voiced_mean")], 1e-6);
        assertEquals(Functionals.mean(new double[] {0, 5, 6, 9}), v[index("alpha_ratio_unvoiced_mean")], 1e-6);
    }

    private static int index(String name) {
        int i = ProsodyVector.NAMES.indexOf(name);
        if (i < 0) throw new IllegalArgumentException(name);
        return i;
    }
}
