package ser.hubert.convert;

import ser.SerException;
import ser.hubert.HubertConfig;
import ser.hubert.WeightNames;
import ser.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Foreign HuBERT / wav2vec 2.0 tensors to the engine's names and layouts ({@link WeightNames}): matrices
 * transposed to [in, out], conv kernels reordered to time-major windows, q/k/v fused, and the positional
 * conv's weight norm folded into a plain weight.
 */
public final class HubertImporter {

    private final Map<String, Tensor> hf;
    private final HubertConfig config;
    private final String origin;
    private final Map<String, Tensor> out = new LinkedHashMap<>();

    private HubertImporter(Map<String, Tensor> hfNamed, HubertConfig config, String origin) {
        this.hf = hfNamed;
        this.config = config;
        this.origin = origin;
    }

    /** Keeps the encoder's tensors of a state dict in any published naming, under Hugging Face names. */
    public static Map<String, Tensor> huggingFaceNamed(Map<String, Tensor> stateDict) {
        Map<String, Tensor> hf = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            String name = ForeignNames.toHuggingFace(k);
            if (name != null) hf.put(name, v);
        });
        return hf;
    }

    /**
     * The engine's tensors for {@code config}, from a state dict in any published naming. A missing or
     * mis-shaped tensor throws SerException naming it and {@code origin}.
     */
    public static Map<String, Tensor> convert(Map<String, Tensor> stateDict, HubertConfig config, String origin) {
        return new HubertImporter(huggingFaceNamed(stateDict), config, origin).run();
    }

    private Map<String, Tensor> run() {
        int in = 1;
        for (int i = 0; i < config.convLayers(); i++) {
            int channels = config.convChannels()[i], k = config.convKernels()[i];
            String src = "feature_extractor.conv_layers." + i;
            out.put(WeightNames.conv(i) + ".weight", convWindows(take(src + ".conv.weight", channels, in, k)));
            if (config.convBias()) copy(src + ".conv.bias", WeightNames.conv(i) + ".bias", channels);
            if (config.featureNorm() == HubertConfig.FeatureNorm.LAYER || i == 0) {
                copy(src + ".layer_norm.weight", WeightNames.convNorm(i) + ".weight", channels);
                copy(src + ".layer_norm.bias", WeightNames.convNorm(i) + ".bias", channels);
            }
            in = channels;
        }
        int c = config.featureDim(), d = config.hidden();
        if (config.projectionNorm()) norm("feature_projection.layer_norm", WeightNames.PROJECTION_NORM, c);
        linear("feature_projection.projection", WeightNames.PROJECTION, c, d);
        positionalConv();
        norm("encoder.layer_norm", WeightNames.ENCODER_NORM, d);
        for (int l = 0; l < config.layers(); l++) {
            String src = "encoder.layers." + l;
            fusedQkv(src + ".attention", WeightNames.qkv(l));
            linear(src + ".attention.out_proj", WeightNames.attentionOut(l), d, d);
            norm(src + ".layer_norm", WeightNames.attentionNorm(l), d);
            linear(src + ".feed_forward.intermediate_dense", WeightNames.ffnIn(l), d, config.ffn());
            linear(src + ".feed_forward.output_dense", WeightNames.ffnOut(l), config.ffn(), d);
            norm(src + ".final_layer_norm", WeightNames.ffnNorm(l), d);
        }
        return out;
    }

    // ---- one tensor each --------------------------------------------------------------------------------

    private Tensor take(String name, int... shape) {
        Tensor t = hf.get(name);
        if (t == null) throw new SerException(origin + ": missing tensor '" + name + "'");
        if (!Arrays.equals(t.shape(), shape)) {
            throw new SerException(origin + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        return t;
    }

    private void copy(String from, String to, int n) {
        out.put(to, take(from, n));
    }

    private void norm(String from, String to, int n) {
        copy(from + ".weight", to + ".weight", n);
        copy(from + ".bias", to + ".bias", n);
    }

    /** torch's Linear weight is [out, in]; the engine's is [in, out]. */
    private void linear(String from, String to, int in, int outDim) {
        out.put(to + ".weight", take(from + ".weight", outDim, in).transpose(0, 1).copy());
        copy(from + ".bias", to + ".bias", outDim);
    }

    private void fusedQkv(String from, String to) {
        int d = config.hidden();
        Tensor weight = Tensor.zeros(d, 3 * d), bias = Tensor.zeros(3 * d);
        String[] parts = {"q_proj", "k_proj", "v_proj"};
        for (int p = 0; p < 3; p++) {
            weight.slice(1, p * d, (p + 1) * d).copyFrom(take(from + "." + parts[p] + ".weight", d, d).transpose(0, 1));
            bias.slice(0, p * d, (p + 1) * d).copyFrom(take(from + "." + parts[p] + ".bias", d));
        }
        out.put(to + ".weight", weight);
        out.put(to + ".bias", bias);
    }

    /** A conv weight [out, in, k] as [k·in, out]: row (tap·in + channel) meets a time-major input window. */
    static Tensor convWindows(Tensor w) {
        int outDim = w.dim(0), in = w.dim(1), k = w.dim(2);
        Tensor t = Tensor.zeros(k * in, outDim);
        for (int o = 0; o < outDim; o++) {
            for (int c = 0; c < in; c++) for (int tap = 0; tap < k; tap++) t.set(w.get(o, c, tap), tap * in + c, o);
        }
        return t;
    }

    private void positionalConv() {
        int d = config.hidden(), groups = config.posGroups(), width = d / groups, k = config.posKernel();
        String src = "encoder.pos_conv_embed.conv";
        Tensor weight;
        if (hf.containsKey(src + ".weight")) {
            weight = take(src + ".weight", d, width, k);
        } else {
            String g = hf.containsKey(src + ".weight_g") ? src + ".weight_g" : src + ".parametrizations.weight.original0";
            String v = hf.containsKey(src + ".weight_v") ? src + ".weight_v" : src + ".parametrizations.weight.original1";
            Tensor gain = hf.get(g);
            if (gain == null) throw new SerException(origin + ": missing tensor '" + src + ".weight_g' (or weight)");
            weight = WeightNorm.fold(gain, take(v, d, width, k), origin + ": tensor '" + g + "'");
        }
        // [D, D/G, k] → [G, k·D/G, D/G]: group g's output channels g·w .. (g+1)·w read its own input channels.
        Tensor grouped = Tensor.zeros(groups, k * width, width);
        for (int gi = 0; gi < groups; gi++) {
            Tensor block = convWindows(weight.slice(0, gi * width, (gi + 1) * width));
            grouped.select(0, gi).copyFrom(block);
        }
        out.put(WeightNames.POS_CONV + ".weight", grouped);
        copy(src + ".bias", WeightNames.POS_CONV + ".bias", d);
    }
}
