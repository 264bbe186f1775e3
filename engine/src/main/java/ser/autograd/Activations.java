package ser.autograd;

import ser.autograd.kernels.Parallel;
import ser.autograd.reference.ActivationReference;
import ser.tensor.Tensor;

/** Element-wise nonlinearities. */
public final class Activations {

    private Activations() {}

    /** {@code max(x, 0)}; the gradient at 0 is 0, as in PyTorch. */
    public static Variable relu(Variable x) {
        float[] in = x.array(), y = new float[in.length];
        Parallel.forEachChunk(in.length, (chunk, from, to) -> {
            for (int i = from; i < to; i++) y[i] = Math.max(in[i], 0f);
        });
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dy = g.heapArray(), dx = new float[in.length];
            Parallel.forEachChunk(in.length, (chunk, from, to) -> {
                for (int i = from; i < to; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
            });
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }

    /**
     * The exact GELU {@code x·Φ(x)}. Computed through the double reference: erf has no fast float form here, and
     * GELU sits in the small heads, not in the convolutional hot path.
     */
    public static Variable gelu(Variable x) {
        Tensor y = Doubles.tensor(ActivationReference.gelu(Doubles.of(x)), x.shape());
        return Variable.fromOp(y, g -> new Tensor[] {
            Doubles.tensor(ActivationReference.geluBackward(Doubles.of(x), Doubles.of(g)), x.shape())}, x);
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
