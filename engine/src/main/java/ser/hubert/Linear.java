package ser.hubert;

import ser.tensor.Ops;
import ser.tensor.Tensor;

/** {@code y = x·W + b} with W stored [in, out]; b may be null. */
record Linear(Tensor weight, Tensor bias) {

    static Linear load(WeightSource w, String prefix, int in, int out) {
        return new Linear(w.get(prefix + ".weight", in, out), w.get(prefix + ".bias", out));
    }

    int out() { return weight.dim(1); }

    /** {@code out = x·W + b}. */
    void apply(Ops ops, Tensor x, Tensor out) {
        ops.gemm(1f, x, weight, 0f, out);
        if (bias != null) ops.add(out, bias, out);
    }

    /** {@code out += x·W + b}: a residual connection folded into the GEMM (beta = 1). */
    void applyAdding(Ops ops, Tensor x, Tensor out) {
        ops.gemm(1f, x, weight, 1f, out);
        if (bias != null) ops.add(out, bias, out);
    }
}
