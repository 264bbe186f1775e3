package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/** Element-wise nonlinearities: ReLU and GELU on the given kernels, tanh (only in small heads) inline. */
public final class Activations {

    private Activations() {}

    /** {@code max(x, 0)}; the gradient at 0 is 0, as in PyTorch. */
    public static Variable relu(Kernels kernels, Variable x) {
        float[] in = x.array(), y = new float[in.length];
        kernels.reluForward(in, y);
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dx = new float[in.length];
            kernels.reluBackward(in, g.heapArray(), dx);
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }

    /** The exact GELU {@code x·Φ(x)}. */
    public static Variable gelu(Kernels kernels, Variable x) {
        float[] in = x.array(), y = new float[in.length];
        kernels.geluForward(in, y);
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dx = new float[in.length];
            kernels.geluBackward(in, g.heapArray(), dx);
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }

    public static Variable tanh(Variable x) {
        float[] in = x.array(), y = new float[in.length];
        for (int i = 0; i < in.length; i++) y[i] = (float) Math.tanh(in[i]);
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dy = g.heapArray(), dx = new float[in.length];
            for (int i = 0; i < in.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }
}
