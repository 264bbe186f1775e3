package ser.hubert;

import ser.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * One transformer layer: self-attention and a GELU feed-forward, each wrapped in a residual connection.
 * Base models normalise after each residual sum (post-LN); large models normalise each block's input (pre-LN).
 */
final class EncoderLayer {

    private final boolean normFirst;
    private final SelfAttention attention;
    private final Norm attentionNorm, ffnNorm;
    private final Linear ffnIn, ffnOut;

    EncoderLayer(HubertConfig config, WeightSource w, int layer) {
        int d = config.hidden();
        normFirst = config.layerNormFirst();
        attention = new SelfAttention(config, w, layer);
        attentionNorm = Norm.load(w, WeightNames.attentionNorm(layer), d, config.layerNormEps());
        ffnNorm = Norm.load(w, WeightNames.ffnNorm(layer), d, config.layerNormEps());
        ffnIn = Linear.load(w, WeightNames.ffnIn(layer), d, config.ffn());
        ffnOut = Linear.load(w, WeightNames.ffnOut(layer), config.ffn(), d);
    }

    /** {@code out = layer(x)}; x and out are [B·T, D] and must not overlap. */
    void forward(Tensor x, int[] frames, Tensor out) {
        // Temporaries live as long as the layer; shared because the kernels fan out across threads.
        try (Arena scratch = Arena.ofShared()) {
            forward(x, frames, out, scratch);
        }
    }

    private void forward(Tensor x, int[] frames, Tensor out, Arena scratch) {
        out.copyFrom(x);
        if (normFirst) {
            Tensor normed = Tensor.zeros(scratch, x.shape());
            normed.copyFrom(x);
            attentionNorm.apply(normed);
            attention.forwardAdding(normed, frames, out, scratch);
            normed.copyFrom(out);
            ffnNorm.apply(normed);
            feedForwardAdding(normed, out, scratch);
        } else {
            attention.forwardAdding(x, frames, out, scratch);
            attentionNorm.apply(out);
            feedForwardAdding(out, out, scratch);
            ffnNorm.apply(out);
        }
    }

    /** {@code out += W2·gelu(W1·x)}; x may be out itself (it is read in full before out is written). */
    private void feedForwardAdding(Tensor x, Tensor out, Arena scratch) {
        Tensor inner = Tensor.zeros(scratch, x.dim(0), ffnIn.out());
        ffnIn.apply(x, inner);
        Kernels.gelu(inner);
        ffnOut.applyAdding(inner, out);
    }
}
