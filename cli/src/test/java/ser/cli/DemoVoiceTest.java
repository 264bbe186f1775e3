package ser.cli;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.*;

class DemoVoiceTest {

    private static final float[] VOICE = DemoVoice.synthesize(16000, 3.0);

    @Test
    void threeSecondsPeakingAtHalfScaleWithSilentEnds() {
        float[] v = VOICE;
        assertEquals(48000, v.length);
        float peak = 0;
        for (float s : v) peak = Math.max(peak, Math.abs(s));
        assertEquals(0.5f, peak, 1e-6f);
        assertEquals(0, v[100], 0, "silent lead-in");
        assertEquals(0, v[v.length - 100], 0, "silent tail");
        assertArrayEquals(v, DemoVoice.synthesize(16000, 3.0), "the same every time");
    }

    @Test
    void pitchFollowsTheIntendedContour() {
        float[] v = VOICE;
        // 50 ms in the middle of a syllable at t = 1.3 s, where F0 = 120 + 90 sin(pi 1.3 / 3) + vibrato = 207 +- 3 Hz.
        double f0 = 16000.0 / period(v, 20800, 800);
        assertTrue(f0 > 195 && f0 < 220, "F0 " + f0);
        // And near the start of the phrase (t = 0.3 s), where it is 120 + 90 sin(pi 0.1) = 148 +- 3 Hz.
        double early = 16000.0 / period(v, 4800, 800);
        assertTrue(early > 138 && early < 158, "F0 " + early);
    }

    /** The shortest lag whose normalised autocorrelation comes within 10 % of the best (avoids octave errors). */
    private static int period(float[] v, int from, int n) {
        double[] r = new double[201];
        double best = 0;
        for (int lag = 40; lag <= 200; lag++) { // 400 Hz down to 80 Hz
            double xy = 0, xx = 0, yy = 0;
            for (int i = from; i < from + n; i++) {
                xy += v[i] * v[i + lag];
                xx += v[i] * v[i];
                yy += v[i + lag] * v[i + lag];
            }
            r[lag] = xy / Math.sqrt(xx * yy);
            best = Math.max(best, r[lag]);
        }
        for (int lag = 41; lag < 200; lag++) {
            if (r[lag] >= 0.9 * best && r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1]) return lag;
        }
        throw new AssertionError("no periodicity");
    }
}
