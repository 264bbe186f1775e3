package ser.prosody;

/**
 * Band-limited interpolation of a sampled correlation function and the search for its exact maximum, as Boersma
 * (1993) uses them to read a candidate period and its strength between lags: a sinc kernel tapered by a raised
 * cosine that reaches zero just past the last sample used.
 *
 * <p>The function is given as an array {@code y} and an index {@code origin} of lag zero, so that lags on both sides
 * of zero can contribute (a correlation function is symmetric).
 */
final class SincPeak {

    private SincPeak() {}

    /** The value at fractional index {@code x} of {@code y}, using at most {@code depth} samples on each side. */
    static double interpolate(double[] y, double x, int depth) {
        int n = y.length;
        if (x <= 0) return y[0];
        if (x >= n - 1) return y[n - 1];
        int left = (int) Math.floor(x), right = left + 1;
        if (x == left) return y[left];
        depth = Math.min(depth, Math.min(left + 1, n - right));
        if (depth < 1) return y[left] + (x - left) * (y[right] - y[left]);
        int first = right - depth, last = left + depth;
        // The taper's half-width differs on each side so that it vanishes one sample beyond the outermost one used.
        return side(y, left, -1, first, x - left, x - first + 1) + side(y, right, 1, last, right - x, last - x + 1);
    }

    /**
     * The contributions of samples {@code from}, {@code from + direction}, ... {@code to}, the first at distance
     * {@code distance} from x. Sines and cosines advance by recurrence (one step of pi in the sinc flips its sine's
     * sign; the taper's angle turns by a fixed step), so a call costs two sine-cosine pairs, not two per sample.
     */
    private static double side(double[] y, int from, int direction, int to, double distance, double halfWidth) {
        double a = Math.PI * distance;
        double halfSin = 0.5 * Math.sin(a);
        double taper = a / halfWidth, step = Math.PI / halfWidth;
        double cos = Math.cos(taper), sin = Math.sin(taper), cosStep = Math.cos(step), sinStep = Math.sin(step);
        double sum = 0;
        for (int i = from; direction < 0 ? i >= to : i <= to; i += direction) {
            sum += y[i] * halfSin / a * (1 + cos);
            a += Math.PI;
            halfSin = -halfSin;
            double c = cos * cosStep - sin * sinStep;
            sin = sin * cosStep + cos * sinStep;
            cos = c;
        }
        return sum;
    }

    /**
     * The fractional index and value of the interpolated maximum within one sample of {@code peak}, found by Brent's
     * method on the interpolated function; returns {@code {x, value}}.
     */
    static double[] refineMaximum(double[] y, int peak, int depth) {
        if (peak <= 0 || peak >= y.length - 1) return new double[] {peak, y[peak]};
        double[] best = brentMaximum(y, peak - 1.0, peak + 1.0, peak, depth);
        if (best[1] < y[peak]) return new double[] {peak, y[peak]};
        return best;
    }

    /** Brent's parabolic-and-golden-section search for the maximum on [a, b], starting at {@code x}. */
    private static double[] brentMaximum(double[] y, double a, double b, double start, int depth) {
        final double golden = 0.3819660112501051, tolerance = 1e-7;
        double x = start, w = start, v = start;
        double fx = -interpolate(y, x, depth), fw = fx, fv = fx;
        double d = 0, e = 0;
        for (int iteration = 0; iteration < 60; iteration++) {
            double middle = 0.5 * (a + b), tol1 = tolerance * Math.abs(x) + 1e-12, tol2 = 2 * tol1;
            if (Math.abs(x - middle) <= tol2 - 0.5 * (b - a)) break;
            boolean parabolic = false;
            if (Math.abs(e) > tol1) {
                double r = (x - w) * (fx - fv), q = (x - v) * (fx - fw), p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) p = -p;
                q = Math.abs(q);
                if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
                    e = d;
                    d = p / q;
                    double u = x + d;
                    if (u - a < tol2 || b - u < tol2) d = middle >= x ? tol1 : -tol1;
                    parabolic = true;
                }
            }
            if (!parabolic) {
                e = (x >= middle ? a : b) - x;
                d = golden * e;
            }
            double u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
            double fu = -interpolate(y, u, depth);
            if (fu <= fx) {
                if (u >= x) a = x; else b = x;
                v = w; fv = fw;
                w = x; fw = fx;
                x = u; fx = fu;
            } else {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x) {
                    v = w; fv = fw;
                    w = u; fw = fu;
                } else if (fu <= fv || v == x || v == w) {
                    v = u; fv = fu;
                }
            }
        }
        return new double[] {x, -fx};
    }
}
