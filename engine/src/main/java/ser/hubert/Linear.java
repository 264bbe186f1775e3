package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Tensor;

/**
 * {@code y = x·W + b} with W stored [in, out] and packed for {@code ops} once, when the model loads; b may be null.
 */
record Linear(PackedMatrix weight, Tensor bias) {

    static Linear load(WeightSource w, String prefix, int in, int out, Ops ops) {
        return of(w.get(prefix + ".weight", in, out), w.get(prefix + ".bias", out), ops);
    }

    static Linear of(Tensor weight, Tensor bias, Ops ops) {
        PackedMatrix packed = ops.prepack(weight);
        release(weight, packed);
        return new Linear(packed, bias);
    }

    /**
     * Drops a mapped weight's pages from this process's resident set once the backend holds its own packed copy
     * (they stay in the page cache, and come back if the view is read): the model then holds about one copy of
     * its weights in memory instead of two, and loading never holds more than one matrix twice.
     */
    static void release(Tensor weight, PackedMatrix packed) {
        if (packed.isCopy() && weight.isHost() && weight.segment().isMapped()) weight.segment().unload();
    }

    int out() { return weight.cols(); }

    /** {@code out = x·W + b}. */
    void apply(Ops ops, Tensor x, Tensor out) {
        ops.linear(x, weight, bias, 0f, Activation.IDENTITY, out);
    }

    /** {@code out = activation(x·W + b)}. */
    void apply(Ops ops, Tensor x, Activation activation, Tensor out) {
        ops.linear(x, weight, bias, 0f, activation, out);
    }

    /** {@code out += x·W + b}: a residual connection folded into the GEMM (beta = 1). */
    void applyAdding(Ops ops, Tensor x, Tensor out) {
        applyAdding(ops, x, Activation.IDENTITY, out);
    }

    /** {@code out = activation(out + x·W + b)}. */
    void applyAdding(Ops ops, Tensor x, Activation activation, Tensor out) {
        ops.linear(x, weight, bias, 1f, activation, out);
    }

    /** {@code out = activation(out + (x - y)·W + b)}, x and y of the same shape. */
    void applyDifferenceAdding(Ops ops, Tensor x, Tensor y, Activation activation, Tensor out) {
        ops.linearOfDifference(x, y, weight, bias, 1f, activation, out);
    }
}
