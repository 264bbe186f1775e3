package ser.prosody;

import java.util.ArrayList;
import java.util.List;

/**
 * Glottal pulse times from a sound and its pitch contour, as Praat's {@code To PointProcess (periodic, cc)} places
 * them: in each voiced stretch, start at the largest sample near the stretch's middle, then step one local period
 * at a time to the left and to the right, each time moving to the lag (0.8 to 1.25 periods away) where the next
 * period correlates best with the current one. Periods that correlate poorly or are near-silent are skipped.
 */
public final class GlottalPulses {

    private GlottalPulses() {}

    /** Pulse times in seconds, ascending. */
    public static double[] find(float[] x, int rate, PitchTrack pitch) {
        List<Double> points = new ArrayList<>();
        double globalPeak = 0;
        for (float v : x) globalPeak = Math.max(globalPeak, Math.abs(v));
        double duration = (double) x.length / rate, step = pitch.grid().step();
        double addedRight = Double.NEGATIVE_INFINITY;
        int frame = 0;
        while (true) {
            while (frame < pitch.frames() && !pitch.voiced(frame)) frame++;
            if (frame >= pitch.frames()) break;
            int last = frame;
            while (last + 1 < pitch.frames() && pitch.voiced(last + 1)) last++;
            double left = Math.max(0, pitch.grid().time(frame) - 0.5 * step);
            double right = Math.min(duration, pitch.grid().time(last) + 0.5 * step);
            frame = last + 1;
            if (left >= duration - 0.5 * step) break;

            double middle = 0.5 * (left + right);
            double f0Middle = pitch.valueAt(middle);
            if (Double.isNaN(f0Middle)) continue;
            double start = extremum(x, rate, middle - 0.5 / f0Middle, middle + 0.5 / f0Middle);
            points.add(start);

            double t = start;
            while (true) {
                double f0 = pitch.valueAt(t);
                if (Double.isNaN(f0)) break;
                Match m = bestMatch(x, rate, t, 1 / f0, t - 1.25 / f0, t - 0.8 / f0);
                double next = m.correlation == -1 ? t - 1 / f0 : m.time;
                // A walk that fails to move (a flat correlation at the signal's edge) would never end.
                if (next >= t) break;
                t = next;
                if (t < left) {
                    if (m.correlation > 0.7 && m.peak > 0.023333 * globalPeak && t - addedRight > 0.8 / f0) points.add(t);
                    break;
                }
                // Never fill a short unvoiced gap twice: the previous stretch's rightward walk may have reached here.
                if (m.correlation > 0.3 && (m.peak == 0 || m.peak > 0.01 * globalPeak) && t - addedRight > 0.8 / f0) points.add(t);
            }
            t = start;
            while (true) {
                double f0 = pitch.valueAt(t);
                if (Double.isNaN(f0)) break;
                Match m = bestMatch(x, rate, t, 1 / f0, t + 0.8 / f0, t + 1.25 / f0);
                double next = m.correlation == -1 ? t + 1 / f0 : m.time;
                if (next <= t) break;
                t = next;
                if (t > right) {
                    if (m.correlation > 0.7 && m.peak > 0.023333 * globalPeak) {
                        points.add(t);
                        addedRight = t;
                    }
                    break;
                }
                if (m.correlation > 0.3 && (m.peak == 0 || m.peak > 0.01 * globalPeak)) {
                    points.add(t);
                    addedRight = t;
                }
            }
        }
        return points.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
    }

    /** The time of the sample of largest magnitude in [from, to]. */
    private static double extremum(float[] x, int rate, double from, double to) {
        int first = Math.max(0, low(from, rate)), last = Math.min(x.length - 1, high(to, rate));
        int best = -1;
        double bestValue = -1;
        for (int i = first; i <= last; i++) {
            if (Math.abs(x[i]) > bestValue) {
                bestValue = Math.abs(x[i]);
                best = i;
            }
        }
        return best < 0 ? 0.5 * (from + to) : (best + 0.5) / rate;
    }

    private record Match(double time, double correlation, double peak) {}

    /**
     * The shift of a window of one period around {@code t1} that best matches the window around a time in
     * [from, to]. Only a local maximum of the correlation counts (a shift whose correlation is at least that of both
     * neighbours, the one before the first taken as 0), refined by a parabola through it and its neighbours; with
     * none, the correlation is -1 and the walk steps one period blindly.
     */
    private static Match bestMatch(float[] x, int rate, double t1, double period, double from, double to) {
        double half = 0.5 * period;
        int left1 = nearest(t1 - half, rate), right1 = nearest(t1 + half, rate);
        int left2Min = low(from - half, rate), left2Max = high(to - half, rate);
        double best = -1, bestBefore = 0, bestAfter = 0, bestPeak = 0;
        int bestShift = 0;
        double r1 = 0, r2 = 0, r3 = 0;
        for (int left2 = left2Min; left2 <= left2Max; left2++) {
            double norm1 = 0, norm2 = 0, product = 0, peak = 0;
            for (int i1 = left1, i2 = left2; i1 <= right1; i1++, i2++) {
                if (i1 < 0 || i1 >= x.length || i2 < 0 || i2 >= x.length) continue;
                double a = x[i1], b = x[i2];
                norm1 += a * a;
                norm2 += b * b;
                product += a * b;
                peak = Math.max(peak, Math.abs(b));
            }
            r1 = r2;
            r2 = r3;
            r3 = norm1 == 0 || norm2 == 0 ? 0 : product / Math.sqrt(norm1 * norm2);
            if (left2 > left2Min && r2 > best && r2 >= r1 && r2 >= r3) {
                best = r2;
                bestBefore = r1;
                bestAfter = r3;
                bestShift = left2 - 1 - left1;
                bestPeak = peak;
            }
        }
        if (best == -1) return new Match(t1, -1, 0);
        double curvature = 2 * best - bestBefore - bestAfter;
        double shift = bestShift + (curvature != 0 ? 0.5 * (bestAfter - bestBefore) / curvature : 0);
        return new Match(t1 + shift / rate, best, bestPeak);
    }

    private static int nearest(double t, int rate) {
        return (int) Math.round(t * rate - 0.5);
    }

    private static int low(double t, int rate) {
        return (int) Math.floor(t * rate - 0.5);
    }

    private static int high(double t, int rate) {
        return (int) Math.ceil(t * rate - 0.5);
    }
}
