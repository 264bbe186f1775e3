package ser.autograd.reference;

/**
 * Batch norm over {@code x[n, c, spatial]} per channel, PyTorch semantics: training normalises with the batch
 * mean and the biased batch variance; inference with given statistics.
 */
public final class BatchNormReference {

    private BatchNormReference() {}

    /** {@code {y, mean, biasedVar}}. */
    public static double[][] train(int n, int c, int spatial, double[] x, double[] gamma, double[] beta, double eps) {
        double[] mean = new double[c], var = new double[c];
        double count = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int p = 0; p < spatial; p++) sum += x[(i * c + ch) * spatial + p];
            mean[ch] = sum / count;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < spatial; p++) {
                    double d = x[(i * c + ch) * spatial + p] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / count;
        }
        return new double[][] {eval(n, c, spatial, x, gamma, beta, eps, mean, var), mean, var};
    }

    public static double[] eval(int n, int c, int spatial, double[] x, double[] gamma, double[] beta, double eps,
                                double[] mean, double[] var) {
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                double inv = 1 / Math.sqrt(var[ch] + eps);
                for (int p = 0; p < spatial; p++) {
                    int at = (i * c + ch) * spatial + p;
                    y[at] = (x[at] - mean[ch]) * inv * gamma[ch] + beta[ch];
                }
            }
        }
        return y;
    }

    /** {@code {dx, dgamma, dbeta}} of {@link #train}, whose batch statistics were {@code mean} and {@code var}. */
    public static double[][] backward(int n, int c, int spatial, double[] x, double[] gamma, double eps,
                                      double[] mean, double[] var, double[] dy) {
        double[] dx = new double[x.length], dgamma = new double[c], dbeta = new double[c];
        double count = (double) n * spatial;
        for (int ch = 0; ch < c; ch++) {
            double inv = 1 / Math.sqrt(var[ch] + eps);
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < spatial; p++) {
                    int at = (i * c + ch) * spatial + p;
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * (x[at] - mean[ch]) * inv;
                }
            }
            dgamma[ch] = sumDyXhat;
            dbeta[ch] = sumDy;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < spatial; p++) {
                    int at = (i * c + ch) * spatial + p;
                    double xhat = (x[at] - mean[ch]) * inv;
                    dx[at] = gamma[ch] * inv * (dy[at] - sumDy / count - xhat * sumDyXhat / count);
                }
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }
}
