package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

/**
 * One transformer layer: self-attention and a GELU feed-forward, each wrapped in a residual connection.
 * Base models normalise after each residual sum (post-LN); large models normalise each block's input (pre-LN).
 */
final class EncoderLayer {

    private final Ops ops;
    private final Workspace workspace;
    private final boolean normFirst;
    private final SelfAttention attention;
    private final Norm attentionNorm, ffnNorm;
    private final Linear ffnIn, ffnOut;

    EncoderLayer(HubertConfig config, WeightSource w, int layer, Ops ops, Parallel parallel, Workspace workspace) {
        this.ops = ops;
        this.workspace = workspace;
        int d = config.hidden();
        normFirst = config.layerNormFirst();
        attention = new SelfAttention(config, w, layer, ops, parallel, workspace);
        attentionNorm = Norm.load(w, WeightNames.attentionNorm(layer), d, config.layerNormEps());
        ffnNorm = Norm.load(w, WeightNames.ffnNorm(layer), d, config.layerNormEps());
        ffnIn = Linear.load(w, WeightNames.ffnIn(layer), d, config.ffn(), ops);
        ffnOut = Linear.load(w, WeightNames.ffnOut(layer), config.ffn(), d, ops);
    }

    /**
     * {@code out = layer(x)}; x and out are [B·T, D], either the same tensor (the layer then runs in place: x is
     * read in full by each sublayer before its result is added in) or two that do not overlap.
     */
    void forward(Tensor x, int[] frames, Tensor out) {
        if (out != x) ops.copy(x, out);
        if (normFirst) {
            Tensor normed = workspace.take("layer.normed", x.shape());
            attentionNorm.apply(ops, x, normed);
            attention.forwardAdding(normed, frames, out);
            ffnNorm.apply(ops, out, normed);
            feedForwardAdding(normed, out);
        } else {
            attention.forwardAdding(x, frames, out);
            attentionNorm.apply(ops, out);
            feedForwardAdding(out, out);
            ffnNorm.apply(ops, out);
        }
    }

    /** {@code out += W2·gelu(W1·x)}; x may be out itself (it is read in full before out is written). */
    private void feedForwardAdding(Tensor x, Tensor out) {
        Tensor inner = workspace.take("ffn.inner", x.dim(0), ffnIn.out());
        ffnIn.apply(ops, x, Activation.GELU, inner);
        ffnOut.applyAdding(ops, inner, out);
    }
}
