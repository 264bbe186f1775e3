package ser.autograd;

import java.util.SplittableRandom;
import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.Parallel;
import ser.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code p} and the survivors scaled by
 * {@code 1/(1 − p)}, so inference is the identity. The mask comes from the caller's seeded generator, so a seed
 * fixes the masks of a whole run, whatever the thread count: the generator gives one seed per block of
 * {@value #BLOCK} elements, in order, and each block's mask is drawn from its own seed (in parallel), two
 * elements from each 64-bit draw. A draw per element was a serial 20 ms of the Mel CNN's step at batch 128. The
 * mask is drawn on the host, the same on every backend, and applied on the given one ({@link TrainingOps#dropoutForward}).
 */
public final class DropoutOp {

    static final int BLOCK = 1 << 16;

    private DropoutOp() {}

    public static Variable apply(TrainingOps ops, Variable x, float p, SplittableRandom random) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        if (p == 0) return x;
        return withMask(ops, x, mask(x.size(), p, random));
    }

    /** Scale factors: 0 with probability {@code p} (to 2⁻³² of it), {@code 1/(1 − p)} otherwise. */
    static float[] mask(int size, float p, SplittableRandom random) {
        float keep = 1 / (1 - p);
        long threshold = (long) Math.ceil(p * 4294967296.0); // u < threshold, u uniform on [0, 2³²)
        int blocks = (size + BLOCK - 1) / BLOCK;
        long[] seeds = new long[blocks];
        for (int b = 0; b < blocks; b++) seeds[b] = random.nextLong();
        float[] mask = new float[size];
        Parallel.forEachChunk(blocks, (chunk, first, last) -> {
            for (int b = first; b < last; b++) {
                SplittableRandom r = new SplittableRandom(seeds[b]);
                int end = Math.min(size, (b + 1) * BLOCK);
                for (int i = b * BLOCK; i < end; i += 2) {
                    long bits = r.nextLong();
                    mask[i] = (bits >>> 32) < threshold ? 0f : keep;
                    if (i + 1 < end) mask[i + 1] = (bits & 0xFFFFFFFFL) < threshold ? 0f : keep;
                }
            }
        });
        return mask;
    }

    /** Dropout with a given mask of scale factors (0 or {@code 1/(1 − p)}); for tests and replaying a run. */
    public static Variable withMask(TrainingOps ops, Variable x, float[] mask) {
        Tensor m = ops.upload(Tensor.wrap(mask, x.shape()));
        Tensor y = ops.zeros(x.shape());
        ops.dropoutForward(x.data(), m, y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape());
            ops.dropoutBackward(m, g, dx);
            return new Tensor[] {dx};
        }, x);
    }
}
