package ser.model;

import ser.autograd.Variable;
import ser.tensor.Tensor;

/**
 * Turns a convolutional feature map {@code x[n, c, f, t]} (channels × mel bands × frames) into a sequence of
 * frame vectors {@code y[n, t, c·f]}, the layout the time-pooling layers read. Only moves elements; the gradient
 * moves them back.
 */
final class FrameSequence {

    private FrameSequence() {}

    static Variable apply(Variable x) {
        int n = x.dim(0), c = x.dim(1), f = x.dim(2), t = x.dim(3), d = c * f;
        float[] in = x.array(), out = new float[in.length];
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < d; k++) { // k = channel·f + band: the row of the [c·f, t] plane
                int from = (b * d + k) * t, to = b * t * d + k;
                for (int s = 0; s < t; s++) out[to + s * d] = in[from + s];
            }
        }
        return Variable.fromOp(Tensor.wrap(out, n, t, d), g -> {
            float[] dy = g.heapArray(), dx = new float[dy.length];
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < d; k++) {
                    int from = b * t * d + k, to = (b * d + k) * t;
                    for (int s = 0; s < t; s++) dx[to + s] = dy[from + s * d];
                }
            }
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }
}
