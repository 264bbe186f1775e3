package ser.prosody;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our Burg formants against Praat's {@code To Formant (burg): 0, 5, 5500, 0.025, 50} on stable vowel frames. */
class FormantTest {

    /** F1 and F2 on stable vowel frames, relative difference. */
    static final double TOLERANCE = 0.05;
    /**
     * Share of stable frames allowed beyond the tolerance: reached 6.4 % on one angry clip (F2 near 1.9 kHz where a
     * weak F3 makes the order-10 fit ambiguous); 1.5 % or less elsewhere.
     */
    static final double OUTLIER_SHARE = 0.07;

    static List<PraatFixtures.Clip> clips() {
        return PraatFixtures.clips();
    }

    @ParameterizedTest
    @MethodSource("clips")
    void matchesPraatOnStableVowels(PraatFixtures.Clip clip) {
        float[] x = clip.samples();
        FormantTracker tracker = new FormantTracker(PraatFixtures.RATE);
        double[][] ours = tracker.track(x, 3);
        List<double[]> praat = clip.table("formant");
        assertEquals(praat.size(), ours.length, "frames");
        PitchTrack pitch = new CorrelationPitch(PitchSettings.praatDefaults(), CorrelationPitch.Method.AUTOCORRELATION_HANN,
                PraatFixtures.RATE).track(x);
        int compared = 0, outliers = 0;
        double worst = 0, sum = 0;
        for (int t = 1; t + 1 < praat.size(); t++) {
            assertEquals(praat.get(t)[0], tracker.grid(x.length).time(t), 1e-5, "time of frame " + t);
            if (!stable(praat, t) || Double.isNaN(pitch.valueAt(praat.get(t)[0]))) continue;
            for (int k = 1; k <= 2; k++) {
                double theirs = praat.get(t)[k], relative = Math.abs(ours[t][k - 1] - theirs) / theirs;
                compared++;
                sum += relative;
                if (!(relative <= TOLERANCE)) outliers++;
                else worst = Math.max(worst, relative);
            }
        }
        double share = (double) outliers / Math.max(1, compared);
        System.out.printf("formants %s: compared %d, mean rel %.4f, outliers %.4f, worst inlier %.4f%n",
                clip.name(), compared, sum / compared, share, worst);
        assertTrue(compared > 0, "no stable vowel frame");
        assertTrue(share <= OUTLIER_SHARE, "F1/F2 outliers " + share);
    }

    /** Voiced by Praat's formants' own steadiness: F1 and F2 move by under 3 % to both neighbours. */
    private static boolean stable(List<double[]> praat, int t) {
        for (int k = 1; k <= 2; k++) {
            double here = praat.get(t)[k];
            if (here <= 0) return false;
            for (int d = -1; d <= 1; d += 2) if (Math.abs(praat.get(t + d)[k] - here) > 0.03 * here) return false;
        }
        return true;
    }
}
