package ser.hubert.convert;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translates the tensor names of the three published layouts to one: Hugging Face's {@code HubertModel} /
 * {@code Wav2Vec2Model} names, which the importer then reads.
 *
 * <ul>
 *   <li>Hugging Face: as is, minus a task model's prefix ({@code hubert.}, {@code wav2vec2.}).</li>
 *   <li>torchaudio: {@code encoder.feature_projection.*} and {@code encoder.transformer.*} are HF's
 *       {@code feature_projection.*} and {@code encoder.*}; the rest already agrees.</li>
 *   <li>fairseq: {@code conv_layers.I.0} is the conv, {@code .2} the group norm, {@code .2.1} a layer norm
 *       inside (TransposeLast, LayerNorm, TransposeLast); {@code post_extract_proj}, {@code layer_norm},
 *       {@code pos_conv.0}, {@code self_attn}, {@code fc1}/{@code fc2} and so on map one to one.</li>
 * </ul>
 * Names that belong to no encoder tensor (heads, quantisers, mask embeddings) translate to null and are dropped.
 */
final class ForeignNames {

    private ForeignNames() {}

    private record Rule(Pattern from, String to) {}

    private static Rule rule(String from, String to) {
        return new Rule(Pattern.compile(from), to);
    }

    private static final List<String> PREFIXES = List.of("w2v_encoder.", "w2v_model.", "hubert.", "wav2vec2.", "model.");

    private static final List<Rule> RULES = List.of(
            // torchaudio
            rule("encoder\\.feature_projection\\.(.+)", "feature_projection.$1"),
            rule("encoder\\.transformer\\.(.+)", "encoder.$1"),
            // fairseq
            rule("feature_extractor\\.conv_layers\\.(\\d+)\\.0\\.(weight|bias)", "feature_extractor.conv_layers.$1.conv.$2"),
            rule("feature_extractor\\.conv_layers\\.(\\d+)\\.2\\.1\\.(weight|bias)", "feature_extractor.conv_layers.$1.layer_norm.$2"),
            rule("feature_extractor\\.conv_layers\\.(\\d+)\\.2\\.(weight|bias)", "feature_extractor.conv_layers.$1.layer_norm.$2"),
            rule("post_extract_proj\\.(weight|bias)", "feature_projection.projection.$1"),
            rule("layer_norm\\.(weight|bias)", "feature_projection.layer_norm.$1"),
            rule("encoder\\.pos_conv\\.0\\.(.+)", "encoder.pos_conv_embed.conv.$1"),
            rule("encoder\\.layers\\.(\\d+)\\.self_attn\\.(.+)", "encoder.layers.$1.attention.$2"),
            rule("encoder\\.layers\\.(\\d+)\\.self_attn_layer_norm\\.(.+)", "encoder.layers.$1.layer_norm.$2"),
            rule("encoder\\.layers\\.(\\d+)\\.fc1\\.(.+)", "encoder.layers.$1.feed_forward.intermediate_dense.$2"),
            rule("encoder\\.layers\\.(\\d+)\\.fc2\\.(.+)", "encoder.layers.$1.feed_forward.output_dense.$2"));

    private static final Pattern KEPT = Pattern.compile(
            "feature_extractor\\.conv_layers\\.\\d+\\.(conv|layer_norm)\\.(weight|bias)"
                    + "|feature_projection\\.(layer_norm|projection)\\.(weight|bias)"
                    + "|encoder\\.pos_conv_embed\\.conv\\.(weight|bias|weight_g|weight_v|parametrizations\\.weight\\.original[01])"
                    + "|encoder\\.layer_norm\\.(weight|bias)"
                    + "|encoder\\.layers\\.\\d+\\.(attention\\.(q|k|v|out)_proj|layer_norm|final_layer_norm"
                    + "|feed_forward\\.(intermediate|output)_dense)\\.(weight|bias)");

    /** The Hugging Face name of {@code key}, or null when it is no part of the encoder. */
    static String toHuggingFace(String key) {
        String k = key;
        for (String p : PREFIXES) if (k.startsWith(p)) k = k.substring(p.length());
        for (Rule r : RULES) {
            Matcher m = r.from.matcher(k);
            if (m.matches()) {
                k = m.replaceFirst(r.to);
                break;
            }
        }
        return KEPT.matcher(k).matches() ? k : null;
    }
}
