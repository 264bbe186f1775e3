package ser.prosody;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Glottal pulses, jitter (local) and shimmer (local) against Praat's {@code To PointProcess (periodic, cc)},
 * {@code Get jitter (local): 0, 0, 0.0001, 0.02, 1.3} and {@code Get shimmer (local): ... 1.3, 1.6}.
 */
class PerturbationTest {

    /** Reached: 4.0 % at worst (one angry clip, where one stretch gains a pulse), 1.5 % or less elsewhere. */
    static final double JITTER_RELATIVE = 0.05;
    /** Reached: 2.1 % at worst. */
    static final double SHIMMER_RELATIVE = 0.03;

    static List<PraatFixtures.Clip> clips() {
        return PraatFixtures.clips();
    }

    @ParameterizedTest
    @MethodSource("clips")
    void matchesPraat(PraatFixtures.Clip clip) {
        float[] x = clip.samples();
        int rate = PraatFixtures.RATE;
        PitchTrack pitch = new CorrelationPitch(PitchSettings.praatDefaults(), CorrelationPitch.Method.AUTOCORRELATION_HANN, rate).track(x);
        double[] pulses = GlottalPulses.find(x, rate, pitch);
        List<double[]> praat = clip.table("pulses");
        int matched = 0;
        double worst = 0;
        for (double[] p : praat) {
            double nearest = Double.POSITIVE_INFINITY;
            for (double q : pulses) nearest = Math.min(nearest, Math.abs(q - p[0]));
            if (nearest < 0.0005) {
                matched++;
                worst = Math.max(worst, nearest);
            }
        }
        double jitter = Perturbation.jitter(pulses), shimmer = Perturbation.shimmer(x, rate, pulses);
        System.out.printf("pulses %s: ours %d praat %d matched %d worst %.2e s; jitter %.6f/%.6f (%.3f); shimmer %.6f/%.6f (%.3f)%n",
                clip.name(), pulses.length, praat.size(), matched, worst, jitter, clip.jitter(), jitter / clip.jitter() - 1,
                shimmer, clip.shimmer(), shimmer / clip.shimmer() - 1);
        assertEquals(clip.jitter(), jitter, JITTER_RELATIVE * clip.jitter(), "jitter (local)");
        assertEquals(clip.shimmer(), shimmer, SHIMMER_RELATIVE * clip.shimmer(), "shimmer (local)");
    }
}
