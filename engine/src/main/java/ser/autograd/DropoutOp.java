package ser.autograd;

import java.util.SplittableRandom;
import ser.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the survivors scaled by
 * {@code 1/(1 − p)}, so inference is the identity. The mask comes from the caller's seeded generator, drawn in
 * element order, so a seed fixes the masks of a whole run.
 */
public final class DropoutOp {

    private DropoutOp() {}

    public static Variable apply(Variable x, float p, SplittableRandom random) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        if (p == 0) return x;
        float keep = 1 / (1 - p);
        float[] mask = new float[x.size()];
        for (int i = 0; i < mask.length; i++) mask[i] = random.nextDouble() < p ? 0f : keep;
        return withMask(x, mask);
    }

    /** Dropout with a given mask of scale factors (0 or {@code 1/(1 − p)}); for tests and replaying a run. */
    public static Variable withMask(Variable x, float[] mask) {
        float[] in = x.array(), y = new float[in.length];
        for (int i = 0; i < in.length; i++) y[i] = in[i] * mask[i];
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dy = g.heapArray(), dx = new float[in.length];
            for (int i = 0; i < in.length; i++) dx[i] = dy[i] * mask[i];
            return new Tensor[] {Tensor.wrap(dx, x.shape())};
        }, x);
    }
}
