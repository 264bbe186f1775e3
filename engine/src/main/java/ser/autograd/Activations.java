package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/** Element-wise nonlinearities: ReLU, GELU and tanh. */
public final class Activations {

    private Activations() {}

    /** {@code max(x, 0)}; the gradient at 0 is 0, as in PyTorch. */
    public static Variable relu(TrainingOps ops, Variable x) {
        Tensor y = ops.zeros(x.shape());
        ops.reluForward(x.data(), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.reluBackward(x.data(), g, dx);
            return new Tensor[] {dx};
        }, x);
    }

    /** The exact GELU {@code x·Φ(x)}. */
    public static Variable gelu(TrainingOps ops, Variable x) {
        Tensor y = ops.zeros(x.shape());
        ops.geluForward(x.data(), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.geluBackward(x.data(), g, dx);
            return new Tensor[] {dx};
        }, x);
    }

    public static Variable tanh(TrainingOps ops, Variable x) {
        Tensor y = ops.zeros(x.shape());
        ops.tanhForward(x.data(), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.tanhBackward(y, g, dx);
            return new Tensor[] {dx};
        }, x);
    }
}
