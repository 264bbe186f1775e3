package ser.autograd;

import ser.autograd.kernels.TrainingOps;
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

    /** {@code x[n, layers, …]}, {@code w[layers]} → {@code y[n, …]}, on {@code ops}. */
    public static Variable apply(TrainingOps ops, Variable x, Variable w) {
        int[] s = x.shape();
        if (s.length < 2 || w.shape().length != 1 || w.dim(0) != s[1]) {
            throw new IllegalArgumentException("layer weighted sum: input " + x + " does not match layer weights " + w);
        }
        int n = s[0], layers = s[1], rest = x.size() / (n * layers);
        int[] shape = new int[s.length - 1];
        shape[0] = n;
        System.arraycopy(s, 2, shape, 1, s.length - 2);
        double[] p = weights(w);
        Tensor y = ops.zeros(shape);
        ops.layerMixForward(n, layers, rest, x.data(), p, y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = x.requiresGrad() ? ops.zeros(s) : null;
            double[] dp = new double[layers];
            ops.layerMixBackward(n, layers, rest, x.data(), p, g, dx, dp);
            return new Tensor[] {dx,
                ops.upload(Doubles.tensor(LayerWeightedSumReference.softmaxBackward(p, dp), layers))};
        }, x, w);
    }

    /** The layer weights {@code softmax(w)}, for reports. */
    public static double[] weights(Variable w) {
        return LayerWeightedSumReference.softmax(Doubles.of(w.hostData()));
    }
}
