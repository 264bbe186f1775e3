package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/** {@code y = x·wᵀ + b}, applied to the last axis of {@code x}. */
public final class LinearOp {

    private LinearOp() {}

    /** {@code x[…, in]}, {@code w[out, in]}, {@code b[out]} or null → {@code y[…, out]}, on {@code kernels}. */
    public static Variable apply(Kernels kernels, Variable x, Variable w, Variable b) {
        if (w.shape().length != 2 || x.dim(-1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x + " does not match weight " + w);
        }
        int in = w.dim(1), out = w.dim(0), n = x.size() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        float[] y = new float[n * out];
        kernels.linearForward(n, in, out, x.array(), w.array(), b == null ? null : b.array(), y);
        return Variable.fromOp(Tensor.wrap(y, shape), g -> {
            float[] dx = x.requiresGrad() ? new float[n * in] : null;
            float[] dw = new float[out * in];
            float[] db = b == null ? null : new float[out];
            kernels.linearBackward(n, in, out, x.array(), w.array(), g.heapArray(), dx, dw, db);
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, x.shape()),
                Tensor.wrap(dw, out, in),
                db == null ? null : Tensor.wrap(db, out)};
        }, x, w, b);
    }
}
