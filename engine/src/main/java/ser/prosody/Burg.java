package ser.prosody;

/**
 * Linear prediction coefficients by Burg's method: each stage picks the reflection coefficient that minimises the
 * sum of forward and backward prediction errors, which keeps the predictor stable and suits short frames.
 */
final class Burg {

    private Burg() {}

    /**
     * The coefficients a[0..order-1] of the predictor x[n] ≈ a[0] x[n-1] + a[1] x[n-2] + ...; all zero for a silent
     * frame.
     */
    static double[] predictor(double[] x, int n, int order) {
        double[] a = new double[order], previous = new double[order];
        double[] forward = new double[n], backward = new double[n];
        for (int j = 0; j + 1 < n; j++) {
            forward[j] = x[j];
            backward[j] = x[j + 1];
        }
        for (int k = 0; k < order; k++) {
            double numerator = 0, denominator = 0;
            for (int j = 0; j < n - k - 1; j++) {
                numerator += forward[j] * backward[j];
                denominator += forward[j] * forward[j] + backward[j] * backward[j];
            }
            if (denominator == 0) return a;
            a[k] = 2 * numerator / denominator;
            for (int i = 0; i < k; i++) a[i] = previous[i] - a[k] * previous[k - 1 - i];
            if (k == order - 1) break;
            System.arraycopy(a, 0, previous, 0, k + 1);
            for (int j = 0; j < n - k - 2; j++) {
                forward[j] -= previous[k] * backward[j];
                backward[j] = backward[j + 1] - previous[k] * forward[j + 1];
            }
        }
        return a;
    }
}
