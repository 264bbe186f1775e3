package ser.cuda;

import ser.hubert.HubertConfig;
import ser.hubert.WeightNames;
import ser.hubert.WeightSource;

import static ser.cuda.HubertPlan.ATTENTION_OUT;
import static ser.cuda.HubertPlan.CONTEXT;
import static ser.cuda.HubertPlan.FFN_IN;
import static ser.cuda.HubertPlan.FFN_OUT;
import static ser.cuda.HubertPlan.NORMS;
import static ser.cuda.HubertPlan.QKV;
import static ser.cuda.HubertPlan.SCORES;
import static ser.cuda.HubertPlan.SOFTMAX;

/**
 * One transformer layer on the device, as {@code ser.hubert.EncoderLayer} computes it: self-attention and a GELU
 * feed-forward, each in a residual connection, post-LN (base) or pre-LN (large). Linear layers and both attention
 * products are cuBLAS; bias (+ GELU), softmax with the key mask, layer norm are our kernels.
 */
final class CudaEncoderLayer {

    private final Cuda.Device dev;
    private final CudaGemm gemm, attentionGemm;
    private final boolean normFirst;
    private final int dim, heads, headDim, ffn;
    private final float eps;
    private final DeviceMatrix qkv, out, ffnIn, ffnOut;
    private final long qkvBias, outBias, ffnInBias, ffnOutBias, attentionGamma, attentionBeta, ffnGamma, ffnBeta;

    CudaEncoderLayer(Cuda.Device dev, CudaGemm gemm, HubertConfig config, WeightSource w, int layer, WeightUploader up) {
        this.dev = dev;
        this.gemm = gemm;
        // The two attention products stay in tf32 when the linear layers run in bf16: they are about 2 % of the
        // work, and rounding the probabilities and q, k, v to bf16 costs accuracy and a conversion pass each.
        this.attentionGemm = gemm.bf16() ? new CudaGemm(dev, Cublas.Precision.TF32) : gemm;
        normFirst = config.layerNormFirst();
        dim = config.hidden();
        heads = config.heads();
        headDim = config.headDim();
        ffn = config.ffn();
        eps = config.layerNormEps();
        qkv = up.matrix(w.get(WeightNames.qkv(layer) + ".weight", dim, 3 * dim));
        qkvBias = up.vector(w.get(WeightNames.qkv(layer) + ".bias", 3 * dim));
        out = up.matrix(w.get(WeightNames.attentionOut(layer) + ".weight", dim, dim));
        outBias = up.vector(w.get(WeightNames.attentionOut(layer) + ".bias", dim));
        ffnIn = up.matrix(w.get(WeightNames.ffnIn(layer) + ".weight", dim, ffn));
        ffnInBias = up.vector(w.get(WeightNames.ffnIn(layer) + ".bias", ffn));
        ffnOut = up.matrix(w.get(WeightNames.ffnOut(layer) + ".weight", ffn, dim));
        ffnOutBias = up.vector(w.get(WeightNames.ffnOut(layer) + ".bias", dim));
        attentionGamma = up.vector(w.get(WeightNames.attentionNorm(layer) + ".weight", dim));
        attentionBeta = up.vector(w.get(WeightNames.attentionNorm(layer) + ".bias", dim));
        ffnGamma = up.vector(w.get(WeightNames.ffnNorm(layer) + ".weight", dim));
        ffnBeta = up.vector(w.get(WeightNames.ffnNorm(layer) + ".bias", dim));
    }

    /** {@code out = layer(x)}, both [rows, D] device buffers that do not overlap. */
    void forward(HubertBuffers buf, long x, long result, StageMarks timer) {
        int rows = buf.plan.rows();
        CudaKernels k = dev.kernels();
        dev.driver().copyOnDevice(result, x, 4L * rows * dim, dev.stream());
        if (normFirst) {
            k.layerNorm(x, buf.normed, attentionGamma, attentionBeta, rows, dim, eps);
            mark(timer, NORMS);
            attentionAdding(buf, buf.normed, result, timer);
            k.layerNorm(result, buf.normed, ffnGamma, ffnBeta, rows, dim, eps);
            mark(timer, NORMS);
            feedForwardAdding(buf, buf.normed, result, timer);
        } else {
            mark(timer, NORMS);
            attentionAdding(buf, x, result, timer);
            k.layerNorm(result, result, attentionGamma, attentionBeta, rows, dim, eps);
            mark(timer, NORMS);
            feedForwardAdding(buf, result, result, timer);
            k.layerNorm(result, result, ffnGamma, ffnBeta, rows, dim, eps);
            mark(timer, NORMS);
        }
    }

    static void mark(StageMarks timer, String stage) {
        if (timer != null) timer.mark(stage);
    }

    /**
     * {@code residual += attention(x)}. The two products of every (clip, head) pair run as strided batches: over
     * heads for each clip, or over clips for each head, whichever makes fewer calls. q, k and v are read in place
     * from the fused projection (row stride 3D), and the context is written in place into [rows, D].
     */
    private void attentionAdding(HubertBuffers buf, long x, long residual, StageMarks timer) {
        HubertPlan plan = buf.plan;
        int rows = plan.rows(), batch = plan.batch(), t = plan.frames(), ld = 3 * dim;
        long tt = (long) t * t, clipRows = (long) t * ld;
        CudaKernels k = dev.kernels();
        gemm.linear(x, rows, qkv, buf.qkv, false, buf.staging);
        k.biasAdd(buf.qkv, qkvBias, rows, ld, false);
        mark(timer, QKV);
        long q = buf.qkv;
        if (batch <= heads) {
            for (int b = 0; b < batch; b++) {
                attentionGemm.gemm(false, true, t, t, headDim, attentionGemm.at(q, b * clipRows), ld, headDim,
                        attentionGemm.at(q, b * clipRows + dim), ld, headDim, buf.scores + 4 * (b * heads * tt), t, tt, heads, false);
            }
        } else {
            for (int h = 0; h < heads; h++) {
                attentionGemm.gemm(false, true, t, t, headDim, attentionGemm.at(q, (long) h * headDim), ld, clipRows,
                        attentionGemm.at(q, dim + (long) h * headDim), ld, clipRows, buf.scores + 4 * (h * tt), t, heads * tt,
                        batch, false);
            }
        }
        mark(timer, SCORES);
        k.softmaxMaskedWarp(buf.scores, buf.keys, batch, heads, t, t, (float) (1 / Math.sqrt(headDim)));
        mark(timer, SOFTMAX);
        long p = buf.scores;
        if (batch <= heads) {
            for (int b = 0; b < batch; b++) {
                attentionGemm.gemm(false, false, t, headDim, t, attentionGemm.at(p, b * heads * tt), t, tt,
                        attentionGemm.at(q, b * clipRows + 2L * dim), ld, headDim,
                        buf.context + 4 * ((long) b * t * dim), dim, headDim, heads, false);
            }
        } else {
            for (int h = 0; h < heads; h++) {
                attentionGemm.gemm(false, false, t, headDim, t, attentionGemm.at(p, h * tt), t, heads * tt,
                        attentionGemm.at(q, 2L * dim + (long) h * headDim), ld, clipRows,
                        buf.context + 4L * h * headDim, dim, (long) t * dim, batch, false);
            }
        }
        mark(timer, CONTEXT);
        gemm.linear(buf.context, rows, out, residual, true, buf.staging);
        k.biasAdd(residual, outBias, rows, dim, false);
        mark(timer, ATTENTION_OUT);
    }

    /** {@code out += W2·gelu(W1·x + b1) + b2}; x may be out itself (read in full before out is written). */
    private void feedForwardAdding(HubertBuffers buf, long x, long result, StageMarks timer) {
        int rows = buf.plan.rows();
        gemm.linear(x, rows, ffnIn, buf.inner, false, buf.staging);
        dev.kernels().biasAdd(buf.inner, ffnInBias, rows, ffn, true);
        mark(timer, FFN_IN);
        gemm.linear(buf.inner, rows, ffnOut, result, true, buf.staging);
        dev.kernels().biasAdd(result, ffnOutBias, rows, dim, false);
        mark(timer, FFN_OUT);
    }
}
