package ser.autograd.kernels;

import ser.autograd.reference.ActivationReference;
import ser.autograd.reference.CrossEntropyReference;
import ser.autograd.reference.TimePoolingReference;

/**
 * The SIMD backend's kernels that compute in double, as the references do: the exact GELU (erf has no fast float
 * form here), pooling over time and cross-entropy. They sit in the small heads, not in the convolutional hot path,
 * so double costs nothing noticeable there; what this backend adds is no copies of the arrays in double, threads
 * where the work is element-wise, and results rounded with subnormals {@linkplain #flushed flushed} to zero.
 */
final class DoubleKernels {

    private DoubleKernels() {}

    /**
     * {@code d} rounded to float, or 0 where that would be subnormal: Java cannot set the CPU's flush-to-zero mode,
     * and on x86 every arithmetic operation on a subnormal costs about a hundred normal ones.
     */
    static float flushed(double d) {
        return Math.abs(d) < Float.MIN_NORMAL ? 0f : (float) d;
    }

    static void gelu(float[] x, float[] y) {
        Parallel.forEachChunk(x.length, (chunk, from, to) -> {
            for (int i = from; i < to; i++) y[i] = flushed(ActivationReference.gelu((double) x[i]));
        });
    }

    static void geluBackward(float[] x, float[] dy, float[] dx) {
        Parallel.forEachChunk(x.length, (chunk, from, to) -> {
            for (int i = from; i < to; i++) dx[i] = flushed(dy[i] * ActivationReference.geluDerivative(x[i]));
        });
    }

    /**
     * {@link TimePoolingReference#mean}'s arithmetic, term for term and in its order (each frame's share
     * {@code m·x / frames} summed in double), one slice of sequences per thread.
     */
    static void timeMean(int n, int t, int d, float[] x, float[] mask, float[] y) {
        Parallel.forEachChunk(n, (chunk, first, last) -> {
            double[] sum = new double[d];
            for (int i = first; i < last; i++) {
                double frames = frames(i, t, mask);
                java.util.Arrays.fill(sum, 0);
                for (int s = 0; s < t; s++) {
                    double m = mask == null ? 1 : mask[i * t + s];
                    for (int k = 0, at = (i * t + s) * d; k < d; k++, at++) sum[k] += m * x[at] / frames;
                }
                for (int k = 0; k < d; k++) y[i * d + k] = flushed(sum[k]);
            }
        });
    }

    static void timeMeanBackward(int n, int t, int d, float[] mask, float[] dy, float[] dx) {
        Parallel.forEachChunk(n, (chunk, first, last) -> {
            for (int i = first; i < last; i++) {
                double frames = frames(i, t, mask);
                for (int s = 0; s < t; s++) {
                    double m = mask == null ? 1 : mask[i * t + s];
                    for (int k = 0, at = (i * t + s) * d; k < d; k++, at++) dx[at] = flushed(m * dy[i * d + k] / frames);
                }
            }
        });
    }

    /**
     * Logit gradients below this are set to 0. A confidently right sample has softmax gradients like e^-80; on
     * their way back through the network they shrink into subnormal floats, which x86 multiplies about a hundred
     * times slower (one such batch made a Mel CNN step 50 times slower). No optimiser moves a weight visibly on
     * such a gradient: Adam's step is about lr·g/eps.
     */
    static final double NEGLIGIBLE_GRADIENT = 1e-30;

    /** Through {@link CrossEntropyReference}: the logits are {@code [batch, classes]}, a few hundred numbers. */
    static float crossEntropy(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing) {
        return flushed(CrossEntropyReference.loss(n, c, ReferenceKernels.wide(logits), targets,
                ReferenceKernels.wide(weights), smoothing));
    }

    static void crossEntropyBackward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing,
                                     float upstream, float[] dlogits) {
        double[] grad = CrossEntropyReference.backward(n, c, ReferenceKernels.wide(logits), targets,
                ReferenceKernels.wide(weights), smoothing);
        for (int i = 0; i < grad.length; i++) {
            double g = grad[i] * upstream;
            dlogits[i] = Math.abs(g) < NEGLIGIBLE_GRADIENT ? 0f : flushed(g);
        }
    }

    /** Sequence {@code i}'s real frames, summed in double as the reference sums them. */
    private static double frames(int i, int t, float[] mask) {
        if (mask == null) return t;
        double frames = 0;
        for (int s = 0; s < t; s++) frames += mask[i * t + s];
        if (frames <= 0) throw new IllegalArgumentException("sequence " + i + " has no unmasked frame");
        return frames;
    }
}
