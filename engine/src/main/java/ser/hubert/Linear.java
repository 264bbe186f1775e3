package ser.hubert;

import ser.tensor.Tensor;

/** {@code y = x·W + b} with W stored [in, out]. */
record Linear(Tensor weight, Tensor bias) {

    static Linear load(WeightSource w, String prefix, int in, int out) {
        return new Linear(w.get(prefix + ".weight", in, out), w.get(prefix + ".bias", out));
    }

    int out() { return weight.dim(1); }

    /** {@code out = x·W + b}. */
    void apply(Tensor x, Tensor out) {
        Kernels.matmul(x, weight, bias, out, false);
    }

    /** {@code out += x·W + b}: the residual connection fused into the GEMM's store. */
    void applyAdding(Tensor x, Tensor out) {
        Kernels.matmul(x, weight, bias, out, true);
    }
}
