package ser.autograd.kernels;

import ser.autograd.reference.ActivationReference;

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
}
