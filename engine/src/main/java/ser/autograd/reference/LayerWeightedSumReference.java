package ser.autograd.reference;

/**
 * A softmax-weighted sum over the layers of a stack of hidden states, as SUPERB and EmoBox read a frozen
 * self-supervised encoder: {@code y[i, r] = Σ_l softmax(w)_l · x[i, l, r]} for {@code x[n, layers, rest]} and one
 * logit {@code w[l]} per layer.
 */
public final class LayerWeightedSumReference {

    private LayerWeightedSumReference() {}

    public static double[] forward(int n, int layers, int rest, double[] x, double[] w) {
        double[] p = softmax(w), y = new double[n * rest];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < layers; l++) {
                for (int r = 0; r < rest; r++) y[i * rest + r] += p[l] * x[(i * layers + l) * rest + r];
            }
        }
        return y;
    }

    /** {@code {dx, dw}} for the upstream gradient {@code dy[n, rest]}. */
    public static double[][] backward(int n, int layers, int rest, double[] x, double[] w, double[] dy) {
        double[] p = softmax(w), dx = new double[n * layers * rest], dp = new double[layers];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < layers; l++) {
                for (int r = 0; r < rest; r++) {
                    int at = (i * layers + l) * rest + r;
                    dx[at] = p[l] * dy[i * rest + r];
                    dp[l] += dy[i * rest + r] * x[at];
                }
            }
        }
        return new double[][] {dx, softmaxBackward(p, dp)};
    }

    /** The softmax of {@code w}, shifted by its maximum so that no exponent overflows. */
    public static double[] softmax(double[] w) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double v : w) max = Math.max(max, v);
        double[] p = new double[w.length];
        for (int l = 0; l < w.length; l++) sum += p[l] = Math.exp(w[l] - max);
        for (int l = 0; l < w.length; l++) p[l] /= sum;
        return p;
    }

    /** The gradient with respect to the logits, given the softmax {@code p} and the gradient {@code dp} on it. */
    public static double[] softmaxBackward(double[] p, double[] dp) {
        double dot = 0;
        for (int l = 0; l < p.length; l++) dot += p[l] * dp[l];
        double[] dw = new double[p.length];
        for (int l = 0; l < p.length; l++) dw[l] = p[l] * (dp[l] - dot);
        return dw;
    }
}
