package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.Tensor;

/**
 * A conv of kernel 3 and stride 2 (HuBERT's feature-encoder convs 2 to 5, about a third of a forward pass)
 * computed two output frames at a time with five products of a frame by a [C, C_out] weight where the direct
 * form takes six: a sixth fewer multiply-adds.
 *
 * <p>With taps W0, W1, W2, output frames 2p and 2p + 1 read input frames 4p .. 4p + 4 and share frame 4p + 2,
 * which the first weighs by W2 and the second by W0. Karatsuba's trick computes that shared part once:
 * <pre>
 *   z         = x[4p+2]·(W0 + W2)
 *   y[2p]     = (x[4p]   - x[4p+2])·W0 + x[4p+1]·W1 + z
 *   y[2p + 1] = (x[4p+2] - x[4p+4])·(-W2) + x[4p+3]·W1 + z
 * </pre>
 * That is five GEMMs over every other frame: z (with the conv's bias) into the even outputs and copied to the
 * odd ones, then onto each half its middle tap and, last, its difference term, whose GEMM applies the activation
 * to each finished tile. The differences {@code x[2j] - x[2j+2]} are formed as those GEMMs pack their A
 * ({@link Ops#linearOfDifference}), not in a pass of their own. The result differs from the direct form's in
 * rounding only, each difference being rounded once: against torchaudio, HuBERT base's features are within
 * 0.9-2.7e-6 of their largest value, as before.
 */
final class PairedConv {

    private final Linear shared, middle, first, last;

    static boolean applies(int kernel, int stride) {
        return kernel == 3 && stride == 2;
    }

    /** {@code weight} [3·C, C_out] as the direct conv takes it (tap-major rows); {@code bias} [C_out] or null. */
    PairedConv(Tensor weight, Tensor bias, Ops ops) {
        int c = weight.dim(0) / 3, co = weight.dim(1);
        Tensor w0 = weight.slice(0, 0, c), w2 = weight.slice(0, 2 * c, 3 * c);
        Tensor sum = ops.zeros(c, co), negated = ops.zeros(c, co);
        ops.add(w0, w2, sum);
        ops.scale(w2, -1f, negated);
        shared = Linear.of(sum, bias, ops);
        middle = Linear.of(weight.slice(0, c, 2 * c), null, ops);
        first = Linear.of(w0, null, ops);
        last = Linear.of(negated, null, ops);
    }

    /**
     * {@code out} = activation(conv(x) + bias): {@code out.count() ≤ (x.count() - 1) / 2} frames, either layout
     * for each.
     */
    void forward(Ops ops, Frames x, Activation activation, Frames out) {
        int frames = out.count(), evens = (frames + 1) / 2, odds = frames / 2;
        Tensor even = out.every(0, 2, evens), odd = out.every(1, 2, odds);
        shared.apply(ops, x.every(2, 4, evens), even);
        ops.scale(even.slice(0, 0, odds), 1f, odd);
        middle.applyAdding(ops, x.every(1, 4, evens), even);
        middle.applyAdding(ops, x.every(3, 4, odds), odd);
        first.applyDifferenceAdding(ops, x.every(0, 4, evens), x.every(2, 4, evens), activation, even);
        last.applyDifferenceAdding(ops, x.every(2, 4, odds), x.every(4, 4, odds), activation, odd);
    }
}
