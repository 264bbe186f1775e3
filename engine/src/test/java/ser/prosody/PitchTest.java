package ser.prosody;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our autocorrelation pitch against Praat's {@code To Pitch (ac)} with its default settings, frame by frame. */
class PitchTest {

    /**
     * F0 on frames both call voiced, inside a voiced stretch (Praat's confident frames): relative difference. The brief
     * asked for 1 %; the fixtures reach about a tenth of that (float FFT against Praat's double), so this is tighter.
     */
    static final double F0_TOLERANCE = 0.002;
    /** Share of such frames allowed beyond {@link #F0_TOLERANCE} (octave slips where Praat's path is marginal). */
    static final double F0_OUTLIER_SHARE = 0.01;
    /** Share of frames whose voiced/unvoiced decision may differ from Praat's (reached: none differ). */
    static final double VOICING_DISAGREEMENT = 0.005;

    static List<PraatFixtures.Clip> clips() {
        return PraatFixtures.clips();
    }

    @ParameterizedTest
    @MethodSource("clips")
    void matchesPraatFrameByFrame(PraatFixtures.Clip clip) {
        float[] x = clip.samples();
        PitchTrack ours = new CorrelationPitch(PitchSettings.praatDefaults(), CorrelationPitch.Method.AUTOCORRELATION_HANN,
                PraatFixtures.RATE).track(x);
        List<double[]> praat = clip.table("pitch");
        assertEquals(praat.size(), ours.frames(), "frames");
        int disagree = 0, compared = 0, outliers = 0;
        double worst = 0;
        for (int t = 0; t < praat.size(); t++) {
            assertEquals(praat.get(t)[0], ours.grid().time(t), 1e-5, "time of frame " + t);
            double theirs = praat.get(t)[1];
            if ((theirs > 0) != ours.voiced(t)) disagree++;
            boolean confident = theirs > 0 && t > 0 && t + 1 < praat.size() && praat.get(t - 1)[1] > 0 && praat.get(t + 1)[1] > 0;
            if (confident && ours.voiced(t)) {
                compared++;
                double relative = Math.abs(ours.f0()[t] - theirs) / theirs;
                worst = Math.max(worst, relative);
                if (relative > F0_TOLERANCE) outliers++;
            }
        }
        double disagreement = (double) disagree / praat.size(), outlierShare = (double) outliers / Math.max(1, compared);
        System.out.printf("pitch %s: %d frames, voicing disagreement %.4f, compared %d, outliers %.4f, worst %.5f%n",
                clip.name(), praat.size(), disagreement, compared, outlierShare, worst);
        assertTrue(compared > 0, "no frame voiced in both");
        assertTrue(disagreement <= VOICING_DISAGREEMENT, "voicing disagreement " + disagreement);
        assertTrue(outlierShare <= F0_OUTLIER_SHARE, "F0 outliers " + outlierShare);
    }
}
