package ser.hubert.convert;

import ser.SerException;
import ser.tensor.Tensor;

/**
 * Folds torch's weight normalisation, {@code w = g · v / ‖v‖}, into a plain weight.
 *
 * <p>The norm is taken over every axis except the one kept by {@code weight_norm(dim=…)}, which is the axis
 * where g is not 1: wav2vec 2.0 and HuBERT use {@code dim=2} on the positional conv, so g is [1, 1, k] and each
 * kernel tap's [out, in] slice is scaled to norm g[tap]. The newer parametrization API stores the same pair
 * as {@code original0} (g) and {@code original1} (v).
 */
final class WeightNorm {

    private WeightNorm() {}

    static Tensor fold(Tensor g, Tensor v, String gainName) {
        if (g.rank() != v.rank()) throw new SerException(gainName + " has rank " + g.rank() + ", the weight " + v.rank());
        int kept = -1;
        for (int a = 0; a < g.rank(); a++) {
            if (g.dim(a) == 1) continue;
            if (kept >= 0 || g.dim(a) != v.dim(a)) {
                throw new SerException(gainName + " has shape " + java.util.Arrays.toString(g.shape())
                        + ", not a weight-norm gain for " + java.util.Arrays.toString(v.shape()));
            }
            kept = a;
        }
        if (kept < 0) kept = 0; // g of all ones: a single slice (or a size-1 kept axis) — either way one norm
        int slices = v.dim(kept);
        Tensor moved = v.transpose(0, kept).contiguous();
        long per = moved.size() / slices;
        Tensor folded = Tensor.zeros(moved.shape());
        for (int s = 0; s < slices; s++) {
            double sq = 0;
            for (long i = 0; i < per; i++) {
                double x = moved.getFlat(s * per + i);
                sq += x * x;
            }
            double scale = g.getFlat(s) / Math.sqrt(sq);
            for (long i = 0; i < per; i++) folded.setFlat(s * per + i, (float) (moved.getFlat(s * per + i) * scale));
        }
        return folded.transpose(0, kept).contiguous();
    }
}
