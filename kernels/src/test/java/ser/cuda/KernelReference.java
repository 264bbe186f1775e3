package ser.cuda;

import ser.autograd.reference.Erf;

/**
 * Plain CPU versions of every kernel in {@code ser_kernels.cu}: same names, same argument order, same layouts,
 * written for obviousness. The GPU tests compare each kernel with its reference here (as llm.c keeps a CPU
 * reference beside each CUDA kernel).
 */
public final class KernelReference {

    private KernelReference() {}

    public static float gelu(float x) {
        return (float) (0.5 * x * (1 + Erf.erf(x / Math.sqrt(2))));
    }

    public static void conv1dFirst(float[] x, float[] w, float[] y, int batch, int samples, int channels, int kernel,
                                   int stride, int frames) {
        for (int b = 0; b < batch; b++)
            for (int c = 0; c < channels; c++)
                for (int t = 0; t < frames; t++) {
                    double acc = 0;
                    for (int k = 0; k < kernel; k++) acc += w[c * kernel + k] * x[b * samples + t * stride + k];
                    y[(b * channels + c) * frames + t] = (float) acc;
                }
    }

    public static void groupNormGelu(float[] x, float[] gamma, float[] beta, int batch, int channels, int frames,
                                     float eps) {
        for (int row = 0; row < batch * channels; row++) {
            int c = row % channels, o = row * frames;
            double mean = 0, var = 0;
            for (int t = 0; t < frames; t++) mean += x[o + t];
            mean /= frames;
            for (int t = 0; t < frames; t++) var += (x[o + t] - mean) * (x[o + t] - mean);
            double inv = 1 / Math.sqrt(var / frames + eps);
            for (int t = 0; t < frames; t++) x[o + t] = gelu((float) ((x[o + t] - mean) * inv * gamma[c] + beta[c]));
        }
    }

    public static void im2col1d(float[] x, float[] cols, int batch, int cin, int tin, int kernel, int stride, int tout) {
        int width = cin * kernel;
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < tout; t++)
                for (int c = 0; c < cin; c++)
                    for (int k = 0; k < kernel; k++)
                        cols[(b * tout + t) * width + c * kernel + k] = x[(b * cin + c) * tin + t * stride + k];
    }

    public static void biasAdd(float[] x, float[] bias, int rows, int cols, boolean gelu) {
        for (int i = 0; i < rows * cols; i++) {
            float v = x[i] + bias[i % cols];
            x[i] = gelu ? gelu(v) : v;
        }
    }

    public static void layerNorm(float[] x, float[] out, float[] gamma, float[] beta, int rows, int cols, float eps) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mean = 0, var = 0;
            for (int j = 0; j < cols; j++) mean += x[o + j];
            mean /= cols;
            for (int j = 0; j < cols; j++) var += (x[o + j] - mean) * (x[o + j] - mean);
            double inv = 1 / Math.sqrt(var / cols + eps);
            for (int j = 0; j < cols; j++) out[o + j] = (float) ((x[o + j] - mean) * inv * gamma[j] + beta[j]);
        }
    }

    /** {@code lengths == null}: no mask. */
    public static void softmaxMasked(float[] scores, int[] lengths, int batch, int heads, int tq, int tk, float scale) {
        for (int row = 0; row < batch * heads * tq; row++) {
            int b = row / (heads * tq), valid = lengths == null ? tk : lengths[b], o = row * tk;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < valid; j++) max = Math.max(max, scores[o + j] * scale);
            for (int j = 0; j < tk; j++) {
                double e = j < valid ? Math.exp(scores[o + j] * scale - max) : 0;
                scores[o + j] = (float) e;
                sum += e;
            }
            for (int j = 0; j < tk; j++) scores[o + j] = (float) (scores[o + j] / sum);
        }
    }

    public static void permuteHeads(float[] x, float[] y, int batch, int t, int heads, int d, boolean split) {
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < t; s++)
                for (int h = 0; h < heads; h++)
                    for (int e = 0; e < d; e++) {
                        int merged = ((b * t + s) * heads + h) * d + e, separate = ((b * heads + h) * t + s) * d + e;
                        if (split) y[separate] = x[merged]; else y[merged] = x[separate];
                    }
    }

    public static void posConvGelu(float[] x, float[] w, float[] bias, float[] y, int batch, int t, int dim,
                                   int groups, int kernel) {
        int per = dim / groups, pad = kernel / 2;
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < t; s++)
                for (int o = 0; o < dim; o++) {
                    int g = o / per;
                    double acc = bias[o];
                    for (int k = 0; k < kernel; k++) {
                        int src = s + k - pad;
                        if (src < 0 || src >= t) continue;
                        for (int c = 0; c < per; c++) {
                            acc += w[(o * per + c) * kernel + k] * x[(b * t + src) * dim + g * per + c];
                        }
                    }
                    y[(b * t + s) * dim + o] = gelu((float) acc);
                }
    }

    /** cols[g, b·t + s, k·width + c] = x[b, s + k - kernel/2, g·width + c], 0 outside the sequence. */
    public static void posConvIm2col(float[] x, float[] cols, int batch, int t, int dim, int groups, int kernel) {
        int width = dim / groups, kw = kernel * width, rows = batch * t, pad = kernel / 2;
        for (int g = 0; g < groups; g++)
            for (int r = 0; r < rows; r++)
                for (int k = 0; k < kernel; k++)
                    for (int c = 0; c < width; c++) {
                        int b = r / t, s = r % t, src = s + k - pad;
                        cols[(g * rows + r) * kw + k * width + c] =
                                src < 0 || src >= t ? 0f : x[(b * t + src) * dim + g * width + c];
                    }
    }

    /** x [batch, rows, cols] to y [batch, cols, rows]. */
    public static void transpose(float[] x, float[] y, int batch, int rows, int cols) {
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) y[(b * cols + c) * rows + r] = x[(b * rows + r) * cols + c];
    }

    public static void meanPoolMasked(float[] x, int[] lengths, float[] y, int batch, int t, int dim) {
        for (int b = 0; b < batch; b++) {
            int valid = lengths == null ? t : lengths[b];
            for (int d = 0; d < dim; d++) {
                double s = 0;
                for (int f = 0; f < valid; f++) s += x[(b * t + f) * dim + d];
                y[b * dim + d] = valid > 0 ? (float) (s / valid) : 0f;
            }
        }
    }

    public static void zeroPaddedFrames(float[] x, int[] lengths, int batch, int t, int dim) {
        for (int b = 0; b < batch; b++)
            for (int s = lengths[b]; s < t; s++)
                java.util.Arrays.fill(x, (b * t + s) * dim, (b * t + s + 1) * dim, 0f);
    }

    public static void gelu(float[] x) {
        for (int i = 0; i < x.length; i++) x[i] = gelu(x[i]);
    }

    /** {@code y += x}, element-wise. */
    public static void residualAdd(float[] y, float[] x) {
        for (int i = 0; i < y.length; i++) y[i] += x[i];
    }

    /**
     * Row-major, strided-batched {@code C[b] = op(A[b])·op(B[b]) (+ C[b] when accumulate)}, in double, as
     * {@link Cublas#gemmRowMajor} computes it; offsets and strides in elements.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int offA, int lda,
                            long strideA, float[] b, int offB, int ldb, long strideB, float[] c, int offC, int ldc,
                            long strideC, int batch, boolean accumulate) {
        for (int p = 0; p < batch; p++) {
            long ao = offA + p * strideA, bo = offB + p * strideB, co = offC + p * strideC;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        float av = a[(int) (ao + (transA ? (long) q * lda + i : (long) i * lda + q))];
                        float bv = b[(int) (bo + (transB ? (long) j * ldb + q : (long) q * ldb + j))];
                        s += (double) av * bv;
                    }
                    int at = (int) (co + (long) i * ldc + j);
                    c[at] = (float) (accumulate ? c[at] + s : s);
                }
        }
    }

    /** bf16 round-to-nearest-even, as {@code __float2bfloat16_rn}, returned widened to float. */
    public static float roundToBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return v;
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }
}
