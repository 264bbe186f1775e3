package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.TimePoolingReference;
import ser.tensor.Tensor;

/**
 * Pooling of frame sequences {@code x[n, t, d]} into one vector per sequence. An optional {@code mask[n, t]}
 * (1 = real frame, 0 = padding) keeps padded frames out. The mean runs on the given backend
 * ({@link TrainingOps#timeMeanForward}); attentive statistics compute through the double reference, on the host (on a device their operands are
 * downloaded and their results uploaded): a reduction over
 * a few hundred frames in the small heads, where double sums cost nothing noticeable and spare a second, float,
 * copy of the softmax and variance algebra.
 */
public final class TimePooling {

    private TimePooling() {}

    /** {@code y[n, d]}: the mean over real frames. */
    public static Variable mean(TrainingOps ops, Variable x, Tensor mask) {
        int n = x.dim(0), t = x.dim(1), d = x.dim(2);
        checkMask(x, mask);
        Tensor m = mask == null ? null : ops.upload(Tensor.wrap(mask.toArray(), n, t));
        Tensor y = ops.zeros(n, d);
        ops.timeMeanForward(n, t, d, x.data(), m, y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(n, t, d);
            ops.timeMeanBackward(n, t, d, m, g, dx);
            return new Tensor[] {dx};
        }, x);
    }

    /**
     * Attentive statistics pooling: attention weights {@code softmax over real frames of scores[n, t]}, then the
     * weighted mean and weighted standard deviation of each feature, concatenated into {@code y[n, 2d]}.
     */
    public static Variable attentiveStats(TrainingOps ops, Variable x, Variable scores, Tensor mask) {
        int n = x.dim(0), t = x.dim(1), d = x.dim(2);
        if (scores.shape().length != 2 || scores.dim(0) != n || scores.dim(1) != t) {
            throw new IllegalArgumentException("attention scores " + scores + " for frames " + x);
        }
        checkMask(x, mask);
        double[] m = Doubles.of(mask);
        Tensor y = Doubles.tensor(TimePoolingReference.attentiveStats(n, t, d, Doubles.of(x.hostData()),
                Doubles.of(scores.hostData()), m), n, 2 * d);
        return Variable.fromOp(ops, ops.upload(y), g -> {
            double[][] grads = TimePoolingReference.attentiveStatsBackward(n, t, d, Doubles.of(x.hostData()),
                    Doubles.of(scores.hostData()), m, Doubles.of(ops.download(g)));
            return new Tensor[] {ops.upload(Doubles.tensor(grads[0], n, t, d)), ops.upload(Doubles.tensor(grads[1], n, t))};
        }, x, scores);
    }

    private static void checkMask(Variable x, Tensor mask) {
        if (x.shape().length != 3) throw new IllegalArgumentException("time pooling wants [n, t, d], got " + x);
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != x.dim(0) || mask.dim(1) != x.dim(1))) {
            throw new IllegalArgumentException("mask " + mask + " for frames " + x);
        }
    }
}
