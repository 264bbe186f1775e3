package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import ser.tensor.VectorSums;

/**
 * Batch norm → 2×2 max pooling → ReLU of {@code x[n, c, h, w]}, the Mel CNN block after its convolution, one
 * plane at a time. Apart, the three ops stream the full-size map through memory again and again (for the first
 * layer at batch 128 it is 316 MB: normalised, written, read by the pool, its gradient scattered into a fresh
 * zeroed map, read and written again by batch norm's backward). Here each plane is normalised into a scratch
 * plane that stays in L2, pooled from there, and only the quarter-size result and the argmax leave it; backward
 * needs the full map once, to write its gradient.
 *
 * <p>The values are those of the three ops apart, bit for bit: the same {@code (x − μ)·scale + shift} feeds the
 * same pooling comparisons (which run on the normalised values, since a negative γ reverses the order), and each
 * input gradient is made by the same two fused multiply-adds as in batch norm's vector loop. Only the sums over the batch (for γ's and β's gradients) see
 * their terms in another order (and add them in double: they are a quarter as many, so that costs little). Channels are split across threads, as in {@link BatchNormKernel}.
 */
final class BatchNormPoolReluKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private BatchNormPoolReluKernel() {}

    static void train(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                      float[] y, int[] from, float[] mean, float[] var) {
        int spatial = h * w, pooled = (h / 2) * (w / 2);
        Parallel.forEachChunk(c, (chunk, first, last) -> {
            float[] plane = new float[spatial];
            for (int ch = first; ch < last; ch++) {
                BatchNormKernel.statistics(n, c, spatial, ch, x, mean, var);
                float scale = BatchNormKernel.scale(gamma[ch], var[ch], eps);
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * spatial, out = (i * c + ch) * pooled;
                    BatchNormKernel.normaliseRun(x, at, spatial, mean[ch], scale, beta[ch], plane, 0);
                    MaxPool2x2.plane(plane, 0, h, w, h / 2, w / 2, y, from, out, at);
                    relu(y, out, pooled, y, out);
                }
            }
        });
    }

    /** Inference: the running statistics {@code mean} and {@code var}, no argmax kept. */
    static void eval(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                     float[] mean, float[] var, float[] y) {
        if (ScalarConv.takeElements((long) n * c * h * w)) {
            evalScalar(n, c, h, w, x, gamma, beta, eps, mean, var, y);
        } else {
            evalVector(n, c, h, w, x, gamma, beta, eps, mean, var, y);
        }
    }

    /** {@link #eval} on the vector kernels. */
    static void evalVector(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                           float[] mean, float[] var, float[] y) {
        int spatial = h * w, pooled = (h / 2) * (w / 2);
        Parallel.forEachChunk(c, (chunk, first, last) -> {
            float[] plane = new float[spatial], max = new float[pooled];
            int[] argmax = new int[pooled];
            for (int ch = first; ch < last; ch++) {
                float scale = BatchNormKernel.scale(gamma[ch], var[ch], eps);
                for (int i = 0; i < n; i++) {
                    BatchNormKernel.normaliseRun(x, (i * c + ch) * spatial, spatial, mean[ch], scale, beta[ch], plane, 0);
                    MaxPool2x2.plane(plane, 0, h, w, h / 2, w / 2, max, argmax, 0, 0);
                    relu(max, 0, pooled, y, (i * c + ch) * pooled);
                }
            }
        });
    }

    /**
     * {@link #eval}'s scalar twin, the same bits: each of a window's four values normalised as
     * {@link BatchNormKernel#normaliseRun} does a lane ({@code fma(x − μ, scale, β)}), the maximum taken in window
     * order as {@link MaxPool2x2} does (a later value wins only if strictly greater, a NaN always), then the ReLU.
     */
    static void evalScalar(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                   float[] mean, float[] var, float[] y) {
        int spatial = h * w, oh = h / 2, ow = w / 2, pooled = oh * ow;
        Parallel.forEachChunk(c, (chunk, first, last) -> {
            for (int ch = first; ch < last; ch++) {
                float scale = BatchNormKernel.scale(gamma[ch], var[ch], eps), mu = mean[ch], shift = beta[ch];
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * spatial, out = (i * c + ch) * pooled;
                    for (int oy = 0; oy < oh; oy++) {
                        int top = at + 2 * oy * w, bottom = top + w;
                        for (int ox = 0; ox < ow; ox++) {
                            float max = Math.fma(x[top + 2 * ox] - mu, scale, shift);
                            float v = Math.fma(x[top + 2 * ox + 1] - mu, scale, shift);
                            if (v > max || v != v) max = v;
                            v = Math.fma(x[bottom + 2 * ox] - mu, scale, shift);
                            if (v > max || v != v) max = v;
                            v = Math.fma(x[bottom + 2 * ox + 1] - mu, scale, shift);
                            if (v > max || v != v) max = v;
                            y[out + oy * ow + ox] = Math.max(max, 0f);
                        }
                    }
                }
            }
        });
    }

    /**
     * Gradients for the upstream {@code dy[n, c, h/2, w/2]}, given what {@link #train} returned. Only the argmax
     * of a positive output passes a gradient back through pool and ReLU, so batch norm's two sums run over those
     * few places, and its input gradient {@code k1·dy + k2·(x − μ) + k3} is {@code k2·(x − μ) + k3} everywhere
     * with {@code k1·dy} added at them. {@code dx} may be {@code x} itself: every sum reads {@code x} before any
     * gradient is written, and the write pass reads each element just before it overwrites it.
     */
    static void backward(int n, int c, int h, int w, float[] x, float[] gamma, float eps, float[] mean, float[] var,
                         float[] y, int[] from, float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
        float[] k = coefficients(n, c, h, w, x, gamma, eps, mean, var, y, from, dy, dgamma, dbeta);
        Parallel.forEachChunk(c, (chunk, first, last) -> {
            for (int ch = first; ch < last; ch++) {
                for (int i = 0; i < n; i++) gradientPlane(i, ch, c, h, w, x, mean[ch], k, y, from, dy, dx, 0);
            }
        });
    }

    /**
     * The two sums of {@link #backward}, as γ's and β's gradients and as the coefficients of the input gradient:
     * {@code k[3·ch ..]} holds channel ch's {@code k1, k2, k3}.
     */
    static float[] coefficients(int n, int c, int h, int w, float[] x, float[] gamma, float eps, float[] mean,
                                float[] var, float[] y, int[] from, float[] dy, float[] dgamma, float[] dbeta) {
        int pooled = (h / 2) * (w / 2);
        double count = (double) n * h * w;
        float[] k = new float[3 * c];
        Parallel.forEachChunk(c, (chunk, first, last) -> {
            double[] sums = new double[2];
            for (int ch = first; ch < last; ch++) {
                float mu = mean[ch];
                sums[0] = 0;
                sums[1] = 0;
                for (int i = 0; i < n; i++) planeSums(x, mu, y, from, dy, (i * c + ch) * pooled, pooled, sums);
                double sumDy = sums[0], sumDyCentred = sums[1];
                double inv = 1 / Math.sqrt(var[ch] + (double) eps);
                dgamma[ch] = (float) (sumDyCentred * inv);
                dbeta[ch] = (float) sumDy;
                double k1 = gamma[ch] * inv;
                k[3 * ch] = (float) k1;
                k[3 * ch + 1] = (float) (-k1 * inv * inv * sumDyCentred / count);
                k[3 * ch + 2] = (float) (-k1 * sumDy / count);
            }
        });
        return k;
    }

    /**
     * Adds one plane's {@code Σ g} and {@code Σ g·(x[from] − μ)} to {@code sums}, {@code g} being {@code dy} where
     * the output is positive and 0 elsewhere: in float vectors within the plane (a gather for {@code x} at the
     * argmax), in double across planes. A scalar loop here was a chain of dependent double additions behind a
     * branch on the sign, a coin toss on real data.
     */
    private static void planeSums(float[] x, float mu, float[] y, int[] from, float[] dy, int at, int len,
                                  double[] sums) {
        FloatVector vMu = FloatVector.broadcast(S, mu), zero = FloatVector.zero(S), sumDy = zero, sumCentred = zero;
        int bound = S.loopBound(len);
        int o = at;
        for (; o < at + bound; o += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, y, o).compare(VectorOperators.GT, 0f);
            FloatVector g = zero.blend(FloatVector.fromArray(S, dy, o), positive);
            FloatVector centred = FloatVector.fromArray(S, x, 0, from, o, positive).sub(vMu);
            sumDy = sumDy.add(g);
            sumCentred = centred.fma(g, sumCentred);
        }
        float s1 = VectorSums.lanes(sumDy), s2 = VectorSums.lanes(sumCentred);
        for (; o < at + len; o++) {
            float g = y[o] > 0 ? dy[o] : 0f;
            s1 += g;
            s2 += g * (x[from[o]] - mu);
        }
        sums[0] += s1;
        sums[1] += s2;
    }

    /**
     * Plane {@code (i, ch)} of the input gradient, given {@link #coefficients}: written to {@code out} at the
     * plane's place in {@code x} less {@code shift} (0 for a whole batch; the image's offset for one image).
     */
    static void gradientPlane(int i, int ch, int c, int h, int w, float[] x, float mu, float[] k, float[] y,
                              int[] from, float[] dy, float[] out, int shift) {
        int spatial = h * w, pooled = (h / 2) * (w / 2), at = (i * c + ch) * spatial;
        float k1 = k[3 * ch];
        BatchNormKernel.normaliseRun(x, at, spatial, mu, k[3 * ch + 1], k[3 * ch + 2], out, at - shift);
        // k1·dy added at the argmax of each positive output: a masked gather and scatter (the four places of a
        // window never coincide with another window's, so lanes do not collide).
        FloatVector vK1 = FloatVector.broadcast(S, k1);
        int o = (i * c + ch) * pooled, end = o + pooled, bound = o + S.loopBound(pooled);
        for (; o < bound; o += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, y, o).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, dy, o).fma(vK1, FloatVector.fromArray(S, out, -shift, from, o, positive))
                    .intoArray(out, -shift, from, o, positive);
        }
        for (; o < end; o++) {
            if (y[o] > 0) out[from[o] - shift] = Math.fma(dy[o], k1, out[from[o] - shift]);
        }
    }

    /** {@code out[outAt + k] = max(in[at + k], 0)}. */
    private static void relu(float[] in, int at, int len, float[] out, int outAt) {
        FloatVector zero = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) FloatVector.fromArray(S, in, at + k).max(zero).intoArray(out, outAt + k);
        for (; k < len; k++) out[outAt + k] = Math.max(in[at + k], 0f);
    }
}
