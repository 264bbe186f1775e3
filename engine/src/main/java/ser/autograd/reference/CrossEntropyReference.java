package ser.autograd.reference;

/**
 * Softmax cross-entropy of {@code logits[n, c]} against class indices, as PyTorch's {@code CrossEntropyLoss} with
 * {@code weight} (nullable: all 1), {@code label_smoothing} and mean reduction:
 *
 * <pre>
 * loss = ((1 − ε)·Σᵢ w[yᵢ]·(−log pᵢ,yᵢ) + ε/c·Σᵢ Σⱼ w[j]·(−log pᵢⱼ)) / Σᵢ w[yᵢ]
 * </pre>
 *
 * i.e. a weighted mean over the batch, normalised by the weights of the true classes.
 */
public final class CrossEntropyReference {

    private CrossEntropyReference() {}

    public static double loss(int n, int c, double[] logits, int[] targets, double[] weights, double smoothing) {
        double[] logp = logSoftmax(n, c, logits);
        double total = 0, norm = 0;
        for (int i = 0; i < n; i++) {
            int y = targets[i];
            norm += weight(weights, y);
            double smooth = 0;
            for (int j = 0; j < c; j++) smooth -= weight(weights, j) * logp[i * c + j];
            total += (1 - smoothing) * weight(weights, y) * -logp[i * c + y] + smoothing / c * smooth;
        }
        return total / norm;
    }

    /** {@code dloss/dlogits}. */
    public static double[] backward(int n, int c, double[] logits, int[] targets, double[] weights, double smoothing) {
        double[] logp = logSoftmax(n, c, logits);
        double norm = 0, weightSum = 0;
        for (int i = 0; i < n; i++) norm += weight(weights, targets[i]);
        for (int j = 0; j < c; j++) weightSum += weight(weights, j);
        double[] grad = new double[n * c];
        for (int i = 0; i < n; i++) {
            int y = targets[i];
            for (int j = 0; j < c; j++) {
                double p = Math.exp(logp[i * c + j]);
                double hard = weight(weights, y) * (p - (j == y ? 1 : 0));
                double smooth = p * weightSum - weight(weights, j);
                grad[i * c + j] = ((1 - smoothing) * hard + smoothing / c * smooth) / norm;
            }
        }
        return grad;
    }

    private static double weight(double[] weights, int j) {
        return weights == null ? 1 : weights[j];
    }

    private static double[] logSoftmax(int n, int c, double[] logits) {
        double[] out = new double[n * c];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, logits[i * c + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(logits[i * c + j] - max);
            double logSum = max + Math.log(sum);
            for (int j = 0; j < c; j++) out[i * c + j] = logits[i * c + j] - logSum;
        }
        return out;
    }
}
