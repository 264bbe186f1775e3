package ser.autograd.reference;

/** {@code y = x·wᵀ + b} for {@code x[n, in]}, {@code w[out, in]}, {@code b[out]} (nullable). */
public final class LinearReference {

    private LinearReference() {}

    public static double[] forward(int n, int in, int out, double[] x, double[] w, double[] b) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double sum = b == null ? 0 : b[o];
                for (int k = 0; k < in; k++) sum += x[i * in + k] * w[o * in + k];
                y[i * out + o] = sum;
            }
        }
        return y;
    }

    /** {@code {dx, dw, db}} for the upstream gradient {@code dy[n, out]}. */
    public static double[][] backward(int n, int in, int out, double[] x, double[] w, double[] dy) {
        double[] dx = new double[n * in], dw = new double[out * in], db = new double[out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double g = dy[i * out + o];
                db[o] += g;
                for (int k = 0; k < in; k++) {
                    dx[i * in + k] += g * w[o * in + k];
                    dw[o * in + k] += g * x[i * in + k];
                }
            }
        }
        return new double[][] {dx, dw, db};
    }
}
