package ser.prosody;

/**
 * Cycle-to-cycle perturbation of glottal pulses, as Praat's {@code Get jitter (local)} and {@code Get shimmer
 * (local)} define them: the mean absolute difference between consecutive periods (or pulse amplitudes) divided by
 * the mean period (or amplitude). A pulse's amplitude is the Hann-windowed RMS around it. Periods outside [shortest, longest] do not count, nor pairs of periods whose ratio
 * exceeds the period factor, nor pairs of amplitudes whose ratio exceeds the amplitude factor: such pairs straddle
 * a voice break, not a cycle.
 */
public final class Perturbation {

    public static final double SHORTEST_PERIOD = 0.0001, LONGEST_PERIOD = 0.02, PERIOD_FACTOR = 1.3, AMPLITUDE_FACTOR = 1.6;

    private Perturbation() {}

    /** Jitter (local) as a fraction; NaN with fewer than three usable pulses. */
    public static double jitter(double[] pulses) {
        int periods = pulses.length - 1;
        if (periods < 2) return Double.NaN;
        double sum = 0;
        for (int i = 1; i + 1 < pulses.length; i++) {
            double p1 = pulses[i] - pulses[i - 1], p2 = pulses[i + 1] - pulses[i];
            if (inRange(p1) && inRange(p2) && Math.max(p1 / p2, p2 / p1) <= PERIOD_FACTOR) sum += Math.abs(p1 - p2);
            else periods--;
        }
        if (periods < 2) return Double.NaN;
        return sum / (periods - 1) / meanPeriod(pulses);
    }

    static double meanPeriod(double[] pulses) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i + 1 < pulses.length; i++) {
            if (!isPeriod(pulses, i)) continue;
            sum += pulses[i + 1] - pulses[i];
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The interval after pulse i is a period: in range, and not more than the period factor away from a neighbouring
     * interval that is itself in range.
     */
    static boolean isPeriod(double[] pulses, int i) {
        if (i < 0 || i + 1 >= pulses.length) return false;
        double p = pulses[i + 1] - pulses[i];
        if (!inRange(p)) return false;
        if (i > 0) {
            double before = pulses[i] - pulses[i - 1];
            if (inRange(before) && Math.max(p / before, before / p) > PERIOD_FACTOR) return false;
        }
        if (i + 2 < pulses.length) {
            double after = pulses[i + 2] - pulses[i + 1];
            if (inRange(after) && Math.max(p / after, after / p) > PERIOD_FACTOR) return false;
        }
        return true;
    }

    /** Shimmer (local) as a fraction; NaN when no two consecutive amplitudes qualify. */
    public static double shimmer(float[] x, int rate, double[] pulses) {
        double[] times = new double[pulses.length], amplitudes = new double[pulses.length];
        int n = 0;
        for (int i = 1; i + 1 < pulses.length; i++) {
            double p1 = pulses[i] - pulses[i - 1], p2 = pulses[i + 1] - pulses[i];
            if (!(inRange(p1) && inRange(p2) && Math.max(p1 / p2, p2 / p1) <= PERIOD_FACTOR)) continue;
            // A pulse's amplitude: the RMS under a Hann window reaching a fifth of a period to either side.
            double a = hannRms(x, rate, pulses[i], 0.2 * p1, 0.2 * p2);
            if (!(a > 0)) continue;
            times[n] = pulses[i];
            amplitudes[n++] = a;
        }
        double numerator = 0;
        int pairs = 0;
        for (int i = 1; i < n; i++) {
            double p = times[i] - times[i - 1];
            if (!inRange(p)) continue;
            double a1 = amplitudes[i - 1], a2 = amplitudes[i];
            if (Math.max(a1 / a2, a2 / a1) > AMPLITUDE_FACTOR) continue;
            numerator += Math.abs(a1 - a2);
            pairs++;
        }
        if (pairs == 0) return Double.NaN;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += amplitudes[i];
        mean /= n;
        return numerator / pairs / mean;
    }

    static double hannRms(float[] x, int rate, double middle, double widthLeft, double widthRight) {
        int first = Math.max(0, (int) Math.ceil((middle - widthLeft) * rate - 0.5));
        int last = Math.min(x.length - 1, (int) Math.floor((middle + widthRight) * rate - 0.5));
        if (last - first + 1 < 3) return Double.NaN;
        double sum = 0, weights = 0;
        for (int i = first; i <= last; i++) {
            double t = (i + 0.5) / rate;
            double w = 0.5 + 0.5 * Math.cos(Math.PI * (t - middle) / (t < middle ? widthLeft : widthRight));
            sum += x[i] * w * x[i] * w;
            weights += w * w;
        }
        return Math.sqrt(sum / weights);
    }

    private static boolean inRange(double p) {
        return p >= SHORTEST_PERIOD && p <= LONGEST_PERIOD;
    }
}
