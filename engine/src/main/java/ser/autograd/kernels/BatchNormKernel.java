package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.tensor.VectorSums;

/**
 * Batch norm over {@code x[n, c, spatial]}, vectorised along each contiguous {@code spatial} run and split across
 * threads by channel (each channel's sums stay on one thread, in a fixed order). The per-run partial sums are
 * float vectors; they are added up across the batch in double, which keeps the statistics close to the double
 * reference without a slower double inner loop.
 *
 * <p>The batch statistics take one pass, not two: sums of {@code x − K} and {@code (x − K)²} with {@code K} the
 * channel's first value, a sample of the same distribution, so the shifted sums stay as well-conditioned as the
 * two-pass {@code Σ(x − mean)²} while the 300 MB first-layer activations are read once less.
 */
final class BatchNormKernel {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private BatchNormKernel() {}

    static void train(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                      float[] y, float[] mean, float[] var) {
        Parallel.forEachChunk(c, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                statistics(n, c, spatial, ch, x, mean, var);
                normalise(n, c, spatial, ch, x, mean[ch], scale(gamma[ch], var[ch], eps), beta[ch], y);
            }
        });
    }

    /** Channel {@code ch}'s batch mean and biased variance into {@code mean[ch]} and {@code var[ch]}, in one pass. */
    static void statistics(int n, int c, int spatial, int ch, float[] x, float[] mean, float[] var) {
        double count = (double) n * spatial;
        float shift = x[ch * spatial];
        double[] sums = new double[2];
        for (int i = 0; i < n; i++) shiftedSums(x, (i * c + ch) * spatial, spatial, shift, sums);
        double meanShifted = sums[0] / count;
        mean[ch] = (float) (shift + meanShifted);
        var[ch] = (float) Math.max(0, sums[1] / count - meanShifted * meanShifted);
    }

    static void eval(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                     float[] mean, float[] var, float[] y) {
        Parallel.forEachChunk(c, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                normalise(n, c, spatial, ch, x, mean[ch], scale(gamma[ch], var[ch], eps), beta[ch], y);
            }
        });
    }

    /**
     * {@code dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂))}, written as {@code k1·dy + k2·(x − μ) + k3} so that the
     * second pass is two fused multiply-adds per element.
     */
    static void backward(int n, int c, int spatial, float[] x, float[] gamma, float eps, float[] mean, float[] var,
                         float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
        double count = (double) n * spatial;
        Parallel.forEachChunk(c, (chunk, from, to) -> {
            for (int ch = from; ch < to; ch++) {
                double sumDy = 0, sumDyCentred = 0;
                for (int i = 0; i < n; i++) {
                    int at = (i * c + ch) * spatial;
                    sumDy += VectorSums.of(dy, at, spatial);
                    sumDyCentred += dotCentred(dy, x, at, spatial, mean[ch]);
                }
                double inv = 1 / Math.sqrt(var[ch] + (double) eps);
                dgamma[ch] = (float) (sumDyCentred * inv);
                dbeta[ch] = (float) sumDy;
                double k1 = gamma[ch] * inv;
                float k2 = (float) (-k1 * inv * inv * sumDyCentred / count);
                float k3 = (float) (-k1 * sumDy / count);
                for (int i = 0; i < n; i++) {
                    affine3(dy, x, (i * c + ch) * spatial, spatial, (float) k1, k2, mean[ch], k3, dx);
                }
            }
        });
    }

    /** {@code γ/√(σ² + ε)}, the factor that normalises and scales in one. */
    static float scale(float gamma, float var, float eps) {
        return (float) (gamma / Math.sqrt((double) var + eps));
    }

    private static void normalise(int n, int c, int spatial, int ch, float[] x, float mu, float scale, float shift,
                                  float[] y) {
        for (int i = 0; i < n; i++) {
            int at = (i * c + ch) * spatial;
            normaliseRun(x, at, spatial, mu, scale, shift, y, at);
        }
    }

    /** {@code out[outAt + k] = (x[at + k] − μ)·scale + shift} for {@code k < len}. */
    static void normaliseRun(float[] x, int at, int len, float mu, float scale, float shift, float[] out, int outAt) {
        FloatVector vMu = FloatVector.broadcast(S, mu), vScale = FloatVector.broadcast(S, scale);
        FloatVector vShift = FloatVector.broadcast(S, shift);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) {
            FloatVector.fromArray(S, x, at + k).sub(vMu).fma(vScale, vShift).intoArray(out, outAt + k);
        }
        for (; k < len; k++) out[outAt + k] = Math.fma(x[at + k] - mu, scale, shift);
    }

    /** Adds {@code Σ (x − shift)} to {@code sums[0]} and {@code Σ (x − shift)²} to {@code sums[1]} over one run. */
    private static void shiftedSums(float[] a, int at, int len, float shift, double[] sums) {
        FloatVector vShift = FloatVector.broadcast(S, shift), sum = FloatVector.zero(S), squares = sum;
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) {
            FloatVector d = FloatVector.fromArray(S, a, at + k).sub(vShift);
            sum = sum.add(d);
            squares = d.fma(d, squares);
        }
        float s1 = VectorSums.lanes(sum), s2 = VectorSums.lanes(squares);
        for (; k < len; k++) {
            float d = a[at + k] - shift;
            s1 += d;
            s2 += d * d;
        }
        sums[0] += s1;
        sums[1] += s2;
    }

    /** {@code Σ dy·(x − μ)} over one run. */
    private static float dotCentred(float[] dy, float[] x, int at, int len, float mu) {
        FloatVector vMu = FloatVector.broadcast(S, mu), acc = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) {
            acc = FloatVector.fromArray(S, x, at + k).sub(vMu).fma(FloatVector.fromArray(S, dy, at + k), acc);
        }
        float total = VectorSums.lanes(acc);
        for (; k < len; k++) total += (x[at + k] - mu) * dy[at + k];
        return total;
    }

    /** {@code out = k1·dy + k2·(x − μ) + k3} over one run. */
    private static void affine3(float[] dy, float[] x, int at, int len, float k1, float k2, float mu, float k3,
                                float[] out) {
        FloatVector vK1 = FloatVector.broadcast(S, k1), vK2 = FloatVector.broadcast(S, k2);
        FloatVector vMu = FloatVector.broadcast(S, mu), vK3 = FloatVector.broadcast(S, k3);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += L) {
            FloatVector centred = FloatVector.fromArray(S, x, at + k).sub(vMu);
            FloatVector.fromArray(S, dy, at + k).fma(vK1, centred.fma(vK2, vK3)).intoArray(out, at + k);
        }
        for (; k < len; k++) out[at + k] = dy[at + k] * k1 + ((x[at + k] - mu) * k2 + k3);
    }
}
