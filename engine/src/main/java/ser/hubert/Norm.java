package ser.hubert;

import ser.tensor.Ops;
import ser.tensor.Tensor;

/** A layer or group norm's parameters. */
record Norm(Tensor gamma, Tensor beta, float eps) {

    static Norm load(WeightSource w, String prefix, int n, float eps) {
        return new Norm(w.get(prefix + ".weight", n), w.get(prefix + ".bias", n), eps);
    }

    /** Layer norm of each row of a [M, N] map, in place. */
    void apply(Ops ops, Tensor x) {
        ops.layerNorm(x, gamma, beta, eps, x);
    }

    /** {@code out = layerNorm(x)} row by row. */
    void apply(Ops ops, Tensor x, Tensor out) {
        ops.layerNorm(x, gamma, beta, eps, out);
    }
}
