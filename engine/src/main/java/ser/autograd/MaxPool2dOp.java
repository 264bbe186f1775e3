package ser.autograd;

import ser.autograd.kernels.MaxPool2x2;
import ser.autograd.kernels.Parallel;
import ser.autograd.reference.MaxPoolReference;
import ser.tensor.Tensor;

/**
 * Max pooling of {@code x[n, c, h, w]} with a square window, no padding, floor rounding; ties and NaNs resolved
 * as PyTorch's CPU kernel does (first maximum in window order; a NaN wins). The forward pass remembers where each
 * maximum came from, so backward is a scatter.
 */
public final class MaxPool2dOp {

    private MaxPool2dOp() {}

    public static Variable apply(Variable x, int kernel, int stride) {
        if (x.shape().length != 4 || x.dim(2) < kernel || x.dim(3) < kernel) {
            throw new IllegalArgumentException("max pool " + kernel + "x" + kernel + " of " + x);
        }
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int oh = MaxPoolReference.outSize(h, kernel, stride), ow = MaxPoolReference.outSize(w, kernel, stride);
        float[] in = x.array(), y = new float[n * c * oh * ow];
        int[] from = new int[y.length];
        Parallel.forEachChunk(n * c, (chunk, first, last) -> {
            for (int plane = first; plane < last; plane++) {
                if (kernel == 2 && stride == 2) MaxPool2x2.plane(in, plane, h, w, oh, ow, y, from);
                else pool(in, plane, h, w, kernel, stride, oh, ow, y, from);
            }
        });
        return Variable.fromOp(Tensor.wrap(y, n, c, oh, ow), g -> {
            float[] dy = g.heapArray(), dx = new float[in.length];
            // Windows never overlap when stride >= kernel, so planes (and elements) are written by one slice each.
            if (stride >= kernel) {
                Parallel.forEachChunk(dy.length, (chunk, first, last) -> {
                    for (int o = first; o < last; o++) dx[from[o]] += dy[o];
                });
            } else {
                for (int o = 0; o < dy.length; o++) dx[from[o]] += dy[o];
            }
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }

    /** One plane, any window. */
    private static void pool(float[] in, int plane, int h, int w, int kernel, int stride, int oh, int ow,
                             float[] y, int[] from) {
        for (int oy = 0, o = plane * oh * ow; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, o++) {
                int corner = (plane * h + oy * stride) * w + ox * stride;
                int best = corner;
                for (int i = 0; i < kernel; i++) {
                    for (int j = 0, at = corner + i * w; j < kernel; j++, at++) best = better(in, best, at);
                }
                y[o] = in[best];
                from[o] = best;
            }
        }
    }

    /** {@code candidate} if it beats the maximum at {@code best}, as PyTorch decides (see {@link MaxPool2x2}). */
    private static int better(float[] in, int best, int candidate) {
        float v = in[candidate];
        return v > in[best] || v != v ? candidate : best;
    }
}
