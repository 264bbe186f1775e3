package ser.hubert;

/**
 * The engine's names for HuBERT tensors, and their layouts. Every matrix is stored {@code [in, out]} so that
 * one {@code A·B} kernel serves every layer (see {@link Kernels}); the converter writes them so.
 *
 * <pre>
 * feature_encoder.conv.I.weight   [kernel * in, out]     rows ordered (tap, in channel): a time-major window
 * feature_encoder.conv.I.bias     [out]                  when conv_bias
 * feature_encoder.norm.I.weight   [out], .bias           I = 0 only for group norm, every I for layer norm
 * feature_projection.norm.weight  [C], .bias             when projection_norm
 * feature_projection.weight       [C, D], .bias [D]
 * pos_conv.weight                 [G, kernel * D/G, D/G] weight norm folded in; one [in, out] block per group
 * pos_conv.bias                   [D]
 * encoder.norm.weight             [D], .bias
 * layers.L.attention.qkv.weight   [D, 3D], .bias [3D]    q, k and v side by side, one GEMM for all three
 * layers.L.attention.out.weight   [D, D], .bias [D]
 * layers.L.attention_norm.weight  [D], .bias
 * layers.L.ffn.in.weight          [D, F], .bias [F]
 * layers.L.ffn.out.weight         [F, D], .bias [D]
 * layers.L.ffn_norm.weight        [D], .bias
 * </pre>
 */
public final class WeightNames {

    private WeightNames() {}

    public static String conv(int i) { return "feature_encoder.conv." + i; }

    public static String convNorm(int i) { return "feature_encoder.norm." + i; }

    public static final String PROJECTION_NORM = "feature_projection.norm";
    public static final String PROJECTION = "feature_projection";
    public static final String POS_CONV = "pos_conv";
    public static final String ENCODER_NORM = "encoder.norm";

    public static String qkv(int layer) { return "layers." + layer + ".attention.qkv"; }

    public static String attentionOut(int layer) { return "layers." + layer + ".attention.out"; }

    public static String attentionNorm(int layer) { return "layers." + layer + ".attention_norm"; }

    public static String ffnIn(int layer) { return "layers." + layer + ".ffn.in"; }

    public static String ffnOut(int layer) { return "layers." + layer + ".ffn.out"; }

    public static String ffnNorm(int layer) { return "layers." + layer + ".ffn_norm"; }
}
