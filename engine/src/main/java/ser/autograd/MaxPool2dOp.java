package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.MaxPoolReference;
import ser.tensor.Tensor;

/**
 * Max pooling of {@code x[n, c, h, w]} with a square window, no padding, floor rounding; ties and NaNs resolved
 * as PyTorch's CPU kernel does (first maximum in window order; a NaN wins). The forward pass remembers where each
 * maximum came from, so backward is a scatter ({@link TrainingOps#maxPoolForward}, {@link TrainingOps#maxPoolBackward}).
 */
public final class MaxPool2dOp {

    private MaxPool2dOp() {}

    public static Variable apply(TrainingOps ops, Variable x, int kernel, int stride) {
        if (x.shape().length != 4 || x.dim(2) < kernel || x.dim(3) < kernel) {
            throw new IllegalArgumentException("max pool " + kernel + "x" + kernel + " of " + x);
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = MaxPoolReference.outSize(h, kernel, stride), ow = MaxPoolReference.outSize(w, kernel, stride);
        Tensor y = ops.zeros(n, c, oh, ow);
        TrainingOps.Indices from = ops.indices(Math.toIntExact(y.size()));
        ops.maxPoolForward(n, c, h, w, kernel, stride, x.data(), y, from);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.maxPoolBackward(n, c, h, w, kernel, stride, x.data(), from, g, dx);
            return new Tensor[] {dx};
        }, x);
    }
}
