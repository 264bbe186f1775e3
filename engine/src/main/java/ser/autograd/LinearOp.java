package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/** {@code y = x·wᵀ + b}, applied to the last axis of {@code x}. */
public final class LinearOp {

    private LinearOp() {}

    /** {@code x[…, in]}, {@code w[out, in]}, {@code b[out]} or null → {@code y[…, out]}, on {@code ops}. */
    public static Variable apply(TrainingOps ops, Variable x, Variable w, Variable b) {
        if (w.shape().length != 2 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x + " does not match weight " + w);
        }
        int in = w.dim(1), out = w.dim(0), n = x.size() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        Tensor y = ops.zeros(shape);
        ops.linearForward(n, in, out, x.data(), w.data(), b == null ? null : b.data(), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = x.requiresGrad() ? ops.zeros(x.shape()) : null;
            Tensor dw = ops.zeros(out, in);
            Tensor db = b == null ? null : ops.zeros(out);
            ops.linearBackward(n, in, out, x.data(), w.data(), g, dx, dw, db);
            return new Tensor[] {dx, dw, db};
        }, x, w, b);
    }
}
