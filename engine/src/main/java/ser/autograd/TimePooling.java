package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.autograd.reference.TimePoolingReference;
import ser.tensor.Tensor;

/**
 * Pooling of frame sequences {@code x[n, t, d]} into one vector per sequence. An optional {@code mask[n, t]}
 * (1 = real frame, 0 = padding) keeps padded frames out. The mean runs on the given kernels
 * ({@link Kernels#timeMeanForward}); attentive statistics compute through the double reference: a reduction over
 * a few hundred frames in the small heads, where double sums cost nothing noticeable and spare a second, float,
 * copy of the softmax and variance algebra.
 */
public final class TimePooling {

    private TimePooling() {}

    /** {@code y[n, d]}: the mean over real frames. */
    public static Variable mean(Kernels kernels, Variable x, Tensor mask) {
        int n = x.dim(0), t = x.dim(1), d = x.dim(2);
        checkMask(x, mask);
        float[] m = mask == null ? null : mask.toArray();
        float[] y = new float[n * d];
        kernels.timeMeanForward(n, t, d, x.array(), m, y);
        return Variable.fromOp(Tensor.wrap(y, n, d), g -> {
            float[] dx = new float[n * t * d];
            kernels.timeMeanBackward(n, t, d, m, g.heapArray(), dx);
            return new Tensor[] {Tensor.wrap(dx, n, t, d)};
        }, x);
    }

    /**
     * Attentive statistics pooling: attention weights {@code softmax over real frames of scores[n, t]}, then the
     * weighted mean and weighted standard deviation of each feature, concatenated into {@code y[n, 2d]}.
     */
    public static Variable attentiveStats(Variable x, Variable scores, Tensor mask) {
        int n = x.dim(0), t = x.dim(1), d = x.dim(2);
        if (scores.shape().length != 2 || scores.dim(0) != n || scores.dim(1) != t) {
            throw new IllegalArgumentException("attention scores " + scores + " for frames " + x);
        }
        checkMask(x, mask);
        double[] m = Doubles.of(mask);
        Tensor y = Doubles.tensor(TimePoolingReference.attentiveStats(n, t, d, Doubles.of(x), Doubles.of(scores), m),
                n, 2 * d);
        return Variable.fromOp(y, g -> {
            double[][] grads = TimePoolingReference.attentiveStatsBackward(n, t, d, Doubles.of(x), Doubles.of(scores),
                    m, Doubles.of(g));
            return new Tensor[] {Doubles.tensor(grads[0], n, t, d), Doubles.tensor(grads[1], n, t)};
        }, x, scores);
    }

    private static void checkMask(Variable x, Tensor mask) {
        if (x.shape().length != 3) throw new IllegalArgumentException("time pooling wants [n, t, d], got " + x);
        if (mask != null && (mask.rank() != 2 || mask.dim(0) != x.dim(0) || mask.dim(1) != x.dim(1))) {
            throw new IllegalArgumentException("mask " + mask + " for frames " + x);
        }
    }
}
