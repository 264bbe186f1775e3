package ser.eval.plot;

import java.util.Locale;

/**
 * Axis ticks at round numbers: steps of 1, 2 or 5 times a power of ten, about {@code target} of them across the
 * range, and the axis widened to the ticks that enclose the data.
 *
 * @param lo    the first tick (at or below the data's minimum)
 * @param hi    the last tick (at or above the data's maximum)
 * @param step  the distance between ticks
 */
record NiceTicks(double lo, double hi, double step) {

    static NiceTicks of(double min, double max, int target) {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("no ticks for the range [" + min + ", " + max + "]");
        }
        if (min == max) { // a flat series still needs an axis around it
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            min -= pad;
            max += pad;
        }
        double step = niceStep((max - min) / Math.max(1, target - 1));
        double lo = Math.floor(min / step + 1e-9) * step, hi = Math.ceil(max / step - 1e-9) * step;
        return new NiceTicks(lo, hi, step);
    }

    /** The smallest of 1, 2, 5 × 10^k not below {@code raw}. */
    static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw * (1 - 1e-9)) return m * power;
        }
        return 10 * power;
    }

    int count() {
        return (int) Math.round((hi - lo) / step) + 1;
    }

    double tick(int i) {
        return lo + i * step;
    }

    /** The tick's text with just enough decimals for the step ("0.25", "10", "1.5"). */
    String label(int i) {
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        double v = tick(i);
        if (Math.abs(v) < step * 1e-9) v = 0; // no "-0.0"
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
