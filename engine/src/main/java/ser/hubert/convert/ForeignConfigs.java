package ser.hubert.convert;

import ser.hubert.HubertConfig;
import ser.hubert.HubertConfig.FeatureNorm;
import ser.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link HubertConfig} from each source's own description of a model. Problems throw IllegalArgumentException
 * with the offending key; the converter adds the file name.
 */
final class ForeignConfigs {

    private ForeignConfigs() {}

    /** A Hugging Face {@code config.json}, with do_normalize from {@code preprocessor_config.json} (absent: false). */
    static HubertConfig fromHuggingFace(Map<String, Object> c, Map<String, Object> preprocessor) {
        int[] channels = ints(c, "conv_dim"), kernels = ints(c, "conv_kernel"), strides = ints(c, "conv_stride");
        String norm = string(c, "feat_extract_norm", "group");
        FeatureNorm featureNorm = switch (norm) {
            case "group" -> FeatureNorm.GROUP;
            case "layer" -> FeatureNorm.LAYER;
            default -> throw new IllegalArgumentException("feat_extract_norm '" + norm + "' is neither group nor layer");
        };
        for (String act : List.of("feat_extract_activation", "hidden_act")) {
            String a = string(c, act, "gelu");
            if (!a.equals("gelu")) throw new IllegalArgumentException(act + " '" + a + "' is not supported (only gelu)");
        }
        boolean normalize = preprocessor != null && bool(preprocessor, "do_normalize", false);
        return new HubertConfig(channels, kernels, strides, bool(c, "conv_bias", false), featureNorm,
                integer(c, "hidden_size"), integer(c, "num_hidden_layers"), integer(c, "num_attention_heads"),
                integer(c, "intermediate_size"), integer(c, "num_conv_pos_embeddings"),
                integer(c, "num_conv_pos_embedding_groups"), bool(c, "do_stable_layer_norm", false),
                bool(c, "feat_proj_layer_norm", true), (float) number(c, "layer_norm_eps", 1e-5), normalize);
    }

    /** A fairseq checkpoint's {@code cfg} (model and task sections) or legacy {@code args}, as a plain map. */
    @SuppressWarnings("unchecked")
    static HubertConfig fromFairseq(Map<String, Object> cfg) {
        Map<String, Object> model = cfg.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : cfg;
        Map<String, Object> task = cfg.get("task") instanceof Map<?, ?> t ? (Map<String, Object>) t : cfg;
        // A fine-tuned model keeps its pre-training config one level down.
        if (model.get("w2v_args") instanceof Map<?, ?> inner) return fromFairseq((Map<String, Object>) inner);
        List<int[]> layers = convLayers(string(model, "conv_feature_layers",
                "[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512, 2, 2)] * 2"));
        String mode = string(model, "extractor_mode", "default");
        FeatureNorm featureNorm = switch (mode) {
            case "default" -> FeatureNorm.GROUP;
            case "layer_norm" -> FeatureNorm.LAYER;
            default -> throw new IllegalArgumentException("extractor_mode '" + mode + "' is neither default nor layer_norm");
        };
        String act = string(model, "activation_fn", "gelu");
        if (!act.equals("gelu")) throw new IllegalArgumentException("activation_fn '" + act + "' is not supported (only gelu)");
        return new HubertConfig(column(layers, 0), column(layers, 1), column(layers, 2), bool(model, "conv_bias", false),
                featureNorm, (int) number(model, "encoder_embed_dim", 768), (int) number(model, "encoder_layers", 12),
                (int) number(model, "encoder_attention_heads", 12), (int) number(model, "encoder_ffn_embed_dim", 3072),
                (int) number(model, "conv_pos", 128), (int) number(model, "conv_pos_groups", 16),
                bool(model, "layer_norm_first", false), true, 1e-5f, bool(task, "normalize", false));
    }

    /**
     * A torchaudio state dict says nothing of heads, strides, norm placement or input normalisation. The width
     * settles heads and FFN (768: base, 1024: large); the feature encoder's norms, which the tensors show, settle
     * the rest as every released model pairs them: layer norms (wav2vec 2.0 LV-60, XLS-R, HuBERT large) go with
     * pre-LN layers and normalised input, group norm (the base models, wav2vec 2.0 large of LibriSpeech) with
     * post-LN and raw input. Anything else needs its config.json.
     */
    static HubertConfig inferred(Map<String, Tensor> hfNamed) {
        Tensor projection = hfNamed.get("feature_projection.projection.weight");
        if (projection == null) throw new IllegalArgumentException("no feature_projection weight to infer the model size from");
        int width = projection.dim(0);
        HubertConfig known = switch (width) {
            case 768 -> HubertConfig.base();
            case 1024 -> HubertConfig.large();
            default -> throw new IllegalArgumentException("hidden size " + width
                    + " is not a released HuBERT/wav2vec2 size; give its config.json as the config file");
        };
        boolean layerNorms = hfNamed.containsKey("feature_extractor.conv_layers.1.layer_norm.weight");
        boolean convBias = hfNamed.containsKey("feature_extractor.conv_layers.0.conv.bias");
        Tensor ffn = hfNamed.get("encoder.layers.0.feed_forward.intermediate_dense.weight");
        if (ffn == null) throw new IllegalArgumentException("no encoder layer 0 feed-forward weight to infer the model size from");
        int layers = 0;
        while (hfNamed.containsKey("encoder.layers." + layers + ".final_layer_norm.weight")) layers++;
        return new HubertConfig(known.convChannels(), known.convKernels(), known.convStrides(), convBias,
                layerNorms ? FeatureNorm.LAYER : FeatureNorm.GROUP, width, layers, known.heads(),
                ffn.dim(0), known.posKernel(),
                known.posGroups(), layerNorms, true, 1e-5f, layerNorms);
    }

    // ---- fairseq's conv_feature_layers, e.g. "[(512, 10, 5)] + [(512, 3, 2)] * 4 + [(512,2,2)] * 2" ------

    private static final Pattern TERM = Pattern.compile("\\s*\\[(.*?)]\\s*(?:\\*\\s*(\\d+))?\\s*");
    private static final Pattern TUPLE = Pattern.compile("\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    static List<int[]> convLayers(String spec) {
        List<int[]> out = new ArrayList<>();
        for (String term : spec.split("\\+")) {
            Matcher m = TERM.matcher(term);
            if (!m.matches()) throw new IllegalArgumentException("conv_feature_layers: cannot read '" + term.trim() + "'");
            List<int[]> tuples = new ArrayList<>();
            Matcher t = TUPLE.matcher(m.group(1));
            while (t.find()) tuples.add(new int[] {Integer.parseInt(t.group(1)), Integer.parseInt(t.group(2)), Integer.parseInt(t.group(3))});
            if (tuples.isEmpty()) throw new IllegalArgumentException("conv_feature_layers: no (dim, kernel, stride) in '" + term.trim() + "'");
            int repeat = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            for (int r = 0; r < repeat; r++) out.addAll(tuples);
        }
        return out;
    }

    private static int[] column(List<int[]> rows, int c) {
        return rows.stream().mapToInt(r -> r[c]).toArray();
    }

    // ---- typed access to parsed JSON / pickled dicts --------------------------------------------------

    private static Object required(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new IllegalArgumentException("config has no '" + key + "'");
        return v;
    }

    private static int integer(Map<String, Object> m, String key) {
        if (!(required(m, key) instanceof Number n)) throw new IllegalArgumentException("config '" + key + "' is not a number");
        return n.intValue();
    }

    private static double number(Map<String, Object> m, String key, double fallback) {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Number n)) throw new IllegalArgumentException("config '" + key + "' is not a number");
        return n.doubleValue();
    }

    private static boolean bool(Map<String, Object> m, String key, boolean fallback) {
        Object v = m.get(key);
        if (v == null) return fallback;
        if (!(v instanceof Boolean b)) throw new IllegalArgumentException("config '" + key + "' is not true or false");
        return b;
    }

    private static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v == null ? fallback : v.toString();
    }

    private static int[] ints(Map<String, Object> m, String key) {
        if (!(required(m, key) instanceof List<?> list)) throw new IllegalArgumentException("config '" + key + "' is not a list");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) throw new IllegalArgumentException("config '" + key + "' holds a non-number");
            out[i] = n.intValue();
        }
        return out;
    }
}
