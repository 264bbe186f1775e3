package ser.model;

import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * Turns a convolutional feature map {@code x[n, c, f, t]} (channels × mel bands × frames) into a sequence of
 * frame vectors {@code y[n, t, c·f]}, the layout the time-pooling layers read. Only moves elements; the gradient
 * moves them back.
 */
final class FrameSequence {

    private FrameSequence() {}

    static Variable apply(TrainingOps ops, Variable x) {
        int n = x.dim(0), c = x.dim(1), f = x.dim(2), t = x.dim(3), d = c * f;
        Tensor y = ops.zeros(n, t, d);
        ops.copy(x.data().reshape(n, d, t).transpose(1, 2), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.copy(g.transpose(1, 2), dx.reshape(n, d, t));
            return new Tensor[] {dx};
        }, x);
    }
}
