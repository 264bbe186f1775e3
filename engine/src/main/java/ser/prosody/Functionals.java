package ser.prosody;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Statistics of a descriptor track over an utterance. NaN entries (frames where the descriptor does not exist) are
 * skipped; a statistic with nothing to summarise is NaN, which {@link ProsodyVector} writes as 0.
 */
public final class Functionals {

    private Functionals() {}

    public static double mean(double[] x) {
        double sum = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isNaN(v)) continue;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Population standard deviation. */
    public static double std(double[] x) {
        double m = mean(x), sum = 0;
        int n = 0;
        for (double v : x) {
            if (Double.isNaN(v)) continue;
            sum += (v - m) * (v - m);
            n++;
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    /** Standard deviation over the mean; NaN when the mean is 0. */
    public static double coefficientOfVariation(double[] x) {
        double m = mean(x);
        return m == 0 ? Double.NaN : std(x) / m;
    }

    /** The p-th percentile (p in [0, 100]) by linear interpolation between order statistics. */
    public static double percentile(double[] x, double p) {
        double[] v = Arrays.stream(x).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        double position = p / 100 * (v.length - 1);
        int low = (int) Math.floor(position), high = Math.min(v.length - 1, low + 1);
        return v[low] + (position - low) * (v[high] - v[low]);
    }

    /**
     * Per-second changes between consecutive frames where both are defined, split into rising (positive) and falling
     * (negative) parts: {@code {rising[], falling[]}}.
     */
    public static double[][] slopes(double[] x, double step) {
        List<Double> rising = new ArrayList<>(), falling = new ArrayList<>();
        for (int t = 1; t < x.length; t++) {
            if (Double.isNaN(x[t]) || Double.isNaN(x[t - 1])) continue;
            double slope = (x[t] - x[t - 1]) / step;
            if (slope > 0) rising.add(slope);
            else if (slope < 0) falling.add(slope);
        }
        return new double[][] {rising.stream().mapToDouble(Double::doubleValue).toArray(),
                falling.stream().mapToDouble(Double::doubleValue).toArray()};
    }

    /**
     * Local maxima of the track smoothed over three frames that rise above the track's mean: syllable-like loudness
     * peaks.
     */
    public static int peaks(double[] x) {
        int n = x.length;
        if (n < 3) return 0;
        double[] smooth = new double[n];
        for (int t = 0; t < n; t++) {
            double sum = 0;
            int count = 0;
            for (int d = -1; d <= 1; d++) {
                if (t + d < 0 || t + d >= n) continue;
                sum += x[t + d];
                count++;
            }
            smooth[t] = sum / count;
        }
        double threshold = mean(x);
        int peaks = 0;
        for (int t = 1; t + 1 < n; t++) if (smooth[t] > threshold && smooth[t] > smooth[t - 1] && smooth[t] >= smooth[t + 1]) peaks++;
        return peaks;
    }

    /** Lengths in seconds of the runs of frames whose voicing equals {@code voiced}. */
    public static double[] segments(boolean[] voicing, boolean voiced, double step) {
        List<Double> lengths = new ArrayList<>();
        int run = 0;
        for (boolean v : voicing) {
            if (v == voiced) {
                run++;
            } else if (run > 0) {
                lengths.add(run * step);
                run = 0;
            }
        }
        if (run > 0) lengths.add(run * step);
        return lengths.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The values of {@code x} where {@code mask} equals {@code keep}, others NaN. */
    public static double[] where(double[] x, boolean[] mask, boolean keep) {
        double[] out = new double[x.length];
        for (int t = 0; t < x.length; t++) out[t] = mask[t] == keep ? x[t] : Double.NaN;
        return out;
    }
}
