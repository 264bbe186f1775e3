package ser.autograd;

import ser.autograd.kernels.Parallel;
import ser.autograd.reference.LayerWeightedSumReference;
import ser.tensor.Tensor;


/**
 * {@code y[i, …] = Σ_l softmax(w)_l · x[i, l, …]}: a learned mixture of the hidden states of every encoder layer
 * ({@link LayerWeightedSumReference}). The softmax of the few logits is taken in double; the sums over a batch of
 * frames run in float, layer by layer in a fixed order, and the logits' gradient adds per-example partial sums in
 * example order, so results do not depend on the thread count's timing.
 */
public final class LayerWeightedSum {

    private LayerWeightedSum() {}

    /** {@code x[n, layers, …]}, {@code w[layers]} → {@code y[n, …]}. */
    public static Variable apply(Variable x, Variable w) {
        int[] s = x.shape();
        if (s.length < 2 || w.shape().length != 1 || w.dim(0) != s[1]) {
            throw new IllegalArgumentException("layer weighted sum: input " + x + " does not match layer weights " + w);
        }
        int n = s[0], layers = s[1], rest = x.size() / (n * layers);
        int[] shape = new int[s.length - 1];
        shape[0] = n;
        System.arraycopy(s, 2, shape, 1, s.length - 2);
        double[] p = LayerWeightedSumReference.softmax(Doubles.of(w));
        float[] in = x.array(), y = new float[n * rest];
        Parallel.forEachChunk(n, (chunk, from, to) -> {
            for (int i = from; i < to; i++) {
                for (int l = 0; l < layers; l++) {
                    float pl = (float) p[l];
                    int src = (i * layers + l) * rest, dst = i * rest;
                    for (int r = 0; r < rest; r++) y[dst + r] += pl * in[src + r];
                }
            }
        });
        return Variable.fromOp(Tensor.wrap(y, shape), g -> {
            float[] dy = g.heapArray(), dx = x.requiresGrad() ? new float[in.length] : null;
            double[][] dpPerExample = new double[n][layers];
            Parallel.forEachChunk(n, (chunk, from, to) -> {
                for (int i = from; i < to; i++) {
                    for (int l = 0; l < layers; l++) {
                        float pl = (float) p[l];
                        int src = (i * layers + l) * rest, at = i * rest;
                        double dot = 0;
                        for (int r = 0; r < rest; r++) dot += (double) dy[at + r] * in[src + r];
                        dpPerExample[i][l] = dot;
                        if (dx != null) for (int r = 0; r < rest; r++) dx[src + r] = pl * dy[at + r];
                    }
                }
            });
            double[] dp = new double[layers];
            for (double[] e : dpPerExample) for (int l = 0; l < layers; l++) dp[l] += e[l];
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, s),
                Doubles.tensor(LayerWeightedSumReference.softmaxBackward(p, dp), layers)};
        }, x, w);
    }

    /** The layer weights {@code softmax(w)}, for reports. */
    public static double[] weights(Variable w) {
        return LayerWeightedSumReference.softmax(Doubles.of(w));
    }
}
