package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.autograd.reference.MaxPoolReference;
import ser.tensor.Tensor;

/**
 * Max pooling of {@code x[n, c, h, w]} with a square window, no padding, floor rounding; ties and NaNs resolved
 * as PyTorch's CPU kernel does (first maximum in window order; a NaN wins). The forward pass remembers where each
 * maximum came from, so backward is a scatter ({@link Kernels#maxPoolForward}, {@link Kernels#maxPoolBackward}).
 */
public final class MaxPool2dOp {

    private MaxPool2dOp() {}

    public static Variable apply(Kernels kernels, Variable x, int kernel, int stride) {
        if (x.shape().length != 4 || x.dim(2) < kernel || x.dim(3) < kernel) {
            throw new IllegalArgumentException("max pool " + kernel + "x" + kernel + " of " + x);
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = MaxPoolReference.outSize(h, kernel, stride), ow = MaxPoolReference.outSize(w, kernel, stride);
        float[] in = x.array(), y = new float[n * c * oh * ow];
        int[] from = new int[y.length];
        kernels.maxPoolForward(n, c, h, w, kernel, stride, in, y, from);
        return Variable.fromOp(Tensor.wrap(y, n, c, oh, ow), g -> {
            float[] dx = new float[in.length];
            kernels.maxPoolBackward(n, c, h, w, kernel, stride, in, from, g.heapArray(), dx);
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }
}
