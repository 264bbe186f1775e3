package ser.autograd.reference;

/**
 * Pooling of sequences {@code x[n, t, d]} over time. {@code mask[n, t]} (nullable: every frame counts) holds 1 for
 * a real frame and 0 for padding; every sequence needs at least one real frame.
 */
public final class TimePoolingReference {

    /** Floor on the weighted variance before its square root, so that constant features keep a finite gradient. */
    public static final double VARIANCE_FLOOR = 1e-5;

    private TimePoolingReference() {}

    /** {@code y[n, d]}: the mean of the real frames. */
    public static double[] mean(int n, int t, int d, double[] x, double[] mask) {
        double[] y = new double[n * d];
        for (int i = 0; i < n; i++) {
            double frames = frames(i, t, mask);
            for (int s = 0; s < t; s++) {
                double m = mask == null ? 1 : mask[i * t + s];
                for (int k = 0; k < d; k++) y[i * d + k] += m * x[(i * t + s) * d + k] / frames;
            }
        }
        return y;
    }

    public static double[] meanBackward(int n, int t, int d, double[] mask, double[] dy) {
        double[] dx = new double[n * t * d];
        for (int i = 0; i < n; i++) {
            double frames = frames(i, t, mask);
            for (int s = 0; s < t; s++) {
                double m = mask == null ? 1 : mask[i * t + s];
                for (int k = 0; k < d; k++) dx[(i * t + s) * d + k] = m * dy[i * d + k] / frames;
            }
        }
        return dx;
    }

    /**
     * Attentive statistics pooling: {@code w = softmax over real frames of scores[n, t]}, then
     * {@code y[n, 2d] = [Σ w·x, sqrt(max(Σ w·(x − mean)², VARIANCE_FLOOR))]}.
     */
    public static double[] attentiveStats(int n, int t, int d, double[] x, double[] scores, double[] mask) {
        double[] y = new double[n * 2 * d];
        for (int i = 0; i < n; i++) {
            double[] w = softmax(i, t, scores, mask);
            double[] mean = weightedMean(i, t, d, x, w);
            for (int k = 0; k < d; k++) {
                y[i * 2 * d + k] = mean[k];
                y[i * 2 * d + d + k] = Math.sqrt(Math.max(weightedVar(i, t, d, x, w, mean, k), VARIANCE_FLOOR));
            }
        }
        return y;
    }

    /** {@code {dx, dscores}} for the upstream gradient {@code dy[n, 2d]}. */
    public static double[][] attentiveStatsBackward(int n, int t, int d, double[] x, double[] scores, double[] mask,
                                                    double[] dy) {
        double[] dx = new double[n * t * d], dscores = new double[n * t];
        for (int i = 0; i < n; i++) {
            double[] w = softmax(i, t, scores, mask);
            double[] mean = weightedMean(i, t, d, x, w);
            double[] dVar = new double[d];
            for (int k = 0; k < d; k++) {
                double var = weightedVar(i, t, d, x, w, mean, k);
                dVar[k] = var > VARIANCE_FLOOR ? dy[i * 2 * d + d + k] * 0.5 / Math.sqrt(var) : 0;
            }
            // dL/dw_s; the terms through the mean cancel because Σ w·(x − mean) = 0.
            double[] dw = new double[t];
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < d; k++) {
                    int at = (i * t + s) * d + k;
                    double centred = x[at] - mean[k];
                    dx[at] = w[s] * (dy[i * 2 * d + k] + dVar[k] * 2 * centred);
                    dw[s] += dy[i * 2 * d + k] * x[at] + dVar[k] * centred * centred;
                }
            }
            double dot = 0;
            for (int s = 0; s < t; s++) dot += w[s] * dw[s];
            for (int s = 0; s < t; s++) dscores[i * t + s] = w[s] * (dw[s] - dot);
        }
        return new double[][] {dx, dscores};
    }

    private static double frames(int i, int t, double[] mask) {
        if (mask == null) return t;
        double frames = 0;
        for (int s = 0; s < t; s++) frames += mask[i * t + s];
        if (frames <= 0) throw new IllegalArgumentException("sequence " + i + " has no unmasked frame");
        return frames;
    }

    private static double[] softmax(int i, int t, double[] scores, double[] mask) {
        double max = Double.NEGATIVE_INFINITY;
        for (int s = 0; s < t; s++) if (real(i, t, s, mask)) max = Math.max(max, scores[i * t + s]);
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException("sequence " + i + " has no unmasked frame");
        double[] w = new double[t];
        double sum = 0;
        for (int s = 0; s < t; s++) {
            if (real(i, t, s, mask)) sum += w[s] = Math.exp(scores[i * t + s] - max);
        }
        for (int s = 0; s < t; s++) w[s] /= sum;
        return w;
    }

    private static boolean real(int i, int t, int s, double[] mask) {
        return mask == null || mask[i * t + s] != 0;
    }

    private static double[] weightedMean(int i, int t, int d, double[] x, double[] w) {
        double[] mean = new double[d];
        for (int s = 0; s < t; s++) for (int k = 0; k < d; k++) mean[k] += w[s] * x[(i * t + s) * d + k];
        return mean;
    }

    private static double weightedVar(int i, int t, int d, double[] x, double[] w, double[] mean, int k) {
        double var = 0;
        for (int s = 0; s < t; s++) {
            double centred = x[(i * t + s) * d + k] - mean[k];
            var += w[s] * centred * centred;
        }
        return var;
    }
}
