package ser.prosody;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The utterance-level prosody vector: functionals of the {@link ProsodyTracks}, in the fixed order of
 * {@link #NAMES} (docs/prosody.md lists them). A functional that is undefined for an utterance (no voiced frame, too
 * few pulses for jitter) is 0; the models standardise each entry, so 0 is a neutral placeholder rather than a
 * claim.
 */
public final class ProsodyVector {

    public static final List<String> NAMES;

    static {
        List<String> names = new ArrayList<>(new Builder(null).names());
        NAMES = Collections.unmodifiableList(names);
    }

    private ProsodyVector() {}

    public static int size() {
        return NAMES.size();
    }

    public static float[] of(ProsodyTracks tracks) {
        Map<String, Double> values = new Builder(tracks).values;
        float[] out = new float[values.size()];
        int i = 0;
        for (double v : values.values()) out[i++] = Double.isFinite(v) ? (float) v : 0f;
        return out;
    }

    /** Fills name → value in vector order; with no tracks it only records the names. */
    private static final class Builder {
        final Map<String, Double> values = new LinkedHashMap<>();
        final ProsodyTracks s;

        Builder(ProsodyTracks tracks) {
            this.s = tracks;
            double step = tracks == null ? 0.01 : tracks.step();
            double seconds = tracks == null ? 1 : Math.max(tracks.seconds(), step);

            double[] f0 = get(t -> t.f0Semitones());
            put("f0_semitone_mean", Functionals.mean(f0));
            put("f0_semitone_std", Functionals.std(f0));
            percentiles("f0_semitone", f0);
            slopes("f0", f0, step);

            double[] loudness = get(t -> t.spectral().loudness());
            put("loudness_mean", Functionals.mean(loudness));
            put("loudness_cv", Functionals.coefficientOfVariation(loudness));
            percentiles("loudness", loudness);
            slopes("loudness", loudness, step);
            put("loudness_peaks_per_second", Functionals.peaks(loudness) / seconds);

            put("jitter_local", s == null ? 0 : s.jitter());
            put("shimmer_local", s == null ? 0 : s.shimmer());
            double[] hnr = get(t -> t.hnr());
            put("hnr_mean", Functionals.mean(hnr));
            put("hnr_std", Functionals.std(hnr));

            double[][] formants = {get(t -> t.f1()), get(t -> t.f2()), get(t -> t.f3())};
            for (int k = 0; k < 3; k++) {
                put("f" + (k + 1) + "_mean", Functionals.mean(formants[k]));
                put("f" + (k + 1) + "_cv", Functionals.coefficientOfVariation(formants[k]));
            }

            boolean[] voiced = s == null ? new boolean[0] : s.voiced();
            String[] spectralNames = {"alpha_ratio", "hammarberg", "slope_0_500", "slope_500_1500", "flux"};
            double[][] spectral = {get(t -> t.spectral().alphaRatio()), get(t -> t.spectral().hammarberg()),
                    get(t -> t.spectral().slopeLow()), get(t -> t.spectral().slopeHigh()), get(t -> t.spectral().flux())};
            for (int k = 0; k < spectralNames.length; k++) {
                double[] inVoiced = Functionals.where(spectral[k], voiced, true);
                put(spectralNames[k] + "_voiced_mean", Functionals.mean(inVoiced));
                put(spectralNames[k] + "_voiced_std", Functionals.std(inVoiced));
            }
            for (int k = 0; k < 4; k++) {
                put(spectralNames[k] + "_unvoiced_mean", Functionals.mean(Functionals.where(spectral[k], voiced, false)));
            }
            for (int c = 0; c < SpectralDescriptors.MFCCS; c++) {
                int index = c;
                double[] mfcc = get(t -> t.spectral().mfcc()[index]);
                put("mfcc" + (c + 1) + "_mean", Functionals.mean(mfcc));
                put("mfcc" + (c + 1) + "_std", Functionals.std(mfcc));
            }

            double[] voicedRuns = Functionals.segments(voiced, true, step), unvoicedRuns = Functionals.segments(voiced, false, step);
            put("voiced_segments_per_second", voicedRuns.length / seconds);
            put("voiced_segment_mean_seconds", Functionals.mean(voicedRuns));
            put("voiced_segment_std_seconds", Functionals.std(voicedRuns));
            put("unvoiced_segment_mean_seconds", Functionals.mean(unvoicedRuns));
            put("unvoiced_segment_std_seconds", Functionals.std(unvoicedRuns));
            put("voiced_share", voiced.length == 0 ? 0 : count(voiced) / voiced.length);
            double[] level = get(t -> t.spectral().level());
            put("level_db_mean", Functionals.mean(level));
            put("level_db_std", Functionals.std(level));
        }

        /** The 20th, 50th and 80th percentiles of {@code x} and the range between the outer two. */
        private void percentiles(String name, double[] x) {
            double p20 = Functionals.percentile(x, 20), p80 = Functionals.percentile(x, 80);
            put(name + "_p20", p20);
            put(name + "_p50", Functionals.percentile(x, 50));
            put(name + "_p80", p80);
            put(name + "_range20_80", p80 - p20);
        }

        private void slopes(String name, double[] x, double step) {
            double[][] parts = Functionals.slopes(x, step);
            put(name + "_rising_slope_mean", Functionals.mean(parts[0]));
            put(name + "_rising_slope_std", Functionals.std(parts[0]));
            put(name + "_falling_slope_mean", Functionals.mean(parts[1]));
            put(name + "_falling_slope_std", Functionals.std(parts[1]));
        }

        private double[] get(java.util.function.Function<ProsodyTracks, double[]> track) {
            return s == null ? new double[0] : track.apply(s);
        }

        private void put(String name, double value) {
            if (values.put(name, value) != null) throw new IllegalStateException("duplicate name " + name);
        }

        private static double count(boolean[] b) {
            int n = 0;
            for (boolean v : b) if (v) n++;
            return n;
        }

        List<String> names() {
            return new ArrayList<>(values.keySet());
        }
    }
}
