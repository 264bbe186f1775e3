package ser.hubert;

import ser.SerException;
import ser.io.Safetensors;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The shape of a HuBERT / wav2vec 2.0 encoder: everything needed to run a set of weights.
 *
 * <p>The engine weights file carries this record as flat string pairs in its safetensors
 * {@code __metadata__} ({@link #toMetadata}), so a converted file is self-describing.
 *
 * @param convChannels    output channels of each feature-encoder conv (512 × 7 for every released model)
 * @param convKernels     kernel widths (10, 3, 3, 3, 3, 2, 2)
 * @param convStrides     strides (5, 2, 2, 2, 2, 2, 2): 320 samples, 20 ms, per frame at 16 kHz
 * @param convBias        whether the convs have a bias (large models)
 * @param featureNorm     group norm on the first conv only (base) or layer norm after every conv (large)
 * @param hidden          transformer width (768 base, 1024 large)
 * @param layers          transformer layers (12 base, 24 large)
 * @param heads           attention heads
 * @param ffn             feed-forward inner width
 * @param posKernel       positional conv kernel (128)
 * @param posGroups       positional conv groups (16)
 * @param layerNormFirst  pre-LN layers with the encoder LN at the end (large) instead of post-LN (base)
 * @param projectionNorm  whether the feature projection starts with a layer norm (true for all released models)
 * @param layerNormEps    epsilon of every layer and group norm
 * @param doNormalize     whether each waveform is scaled to zero mean and unit variance before the encoder
 */
public record HubertConfig(int[] convChannels, int[] convKernels, int[] convStrides, boolean convBias,
                           FeatureNorm featureNorm, int hidden, int layers, int heads, int ffn,
                           int posKernel, int posGroups, boolean layerNormFirst, boolean projectionNorm,
                           float layerNormEps, boolean doNormalize) {

    /** How the feature encoder normalises its conv outputs. */
    public enum FeatureNorm { GROUP, LAYER }

    private static final int[] KERNELS = {10, 3, 3, 3, 3, 2, 2};
    private static final int[] STRIDES = {5, 2, 2, 2, 2, 2, 2};

    /**
     * Bounds on every size, keyed as in the metadata: a weights file (or a converted checkpoint's config) decides
     * how many layers and how wide the engine allocates, so {@code num_layers: 2000000000} must be refused, not
     * built. Each is several times what released models use (24 layers, width 1024, FFN 4096, 7 convs of 512).
     */
    public static final int MAX_LAYERS = 256, MAX_WIDTH = 16_384, MAX_FFN = 65_536, MAX_CONV_LAYERS = 32,
            MAX_CONV_CHANNELS = 8_192, MAX_KERNEL = 1_024, MAX_STRIDE = 1_024;

    public HubertConfig {
        if (convChannels.length > MAX_CONV_LAYERS) {
            throw new IllegalArgumentException("conv_channels lists " + convChannels.length + " convs, more than " + MAX_CONV_LAYERS);
        }
        for (int i = 0; i < Math.min(convChannels.length, Math.min(convKernels.length, convStrides.length)); i++) {
            inRange("conv_channels", convChannels[i], MAX_CONV_CHANNELS);
            inRange("conv_kernels", convKernels[i], MAX_KERNEL);
            inRange("conv_strides", convStrides[i], MAX_STRIDE);
        }
        inRange("hidden_size", hidden, MAX_WIDTH);
        inRange("num_layers", layers, MAX_LAYERS);
        inRange("num_heads", heads, MAX_WIDTH);
        inRange("ffn_size", ffn, MAX_FFN);
        inRange("pos_conv_kernel", posKernel, MAX_KERNEL);
        inRange("pos_conv_groups", posGroups, MAX_WIDTH);
        // NaN would pass every norm unnoticed and make every output NaN; a norm needs a small positive epsilon
        if (!(layerNormEps > 0 && layerNormEps < 1)) {
            throw new IllegalArgumentException("layer_norm_eps " + layerNormEps + " is not a number in (0, 1)");
        }
        if (convChannels.length != convKernels.length || convKernels.length != convStrides.length
                || convChannels.length == 0) {
            throw new IllegalArgumentException("feature encoder needs as many channels, kernels and strides, got "
                    + convChannels.length + ", " + convKernels.length + ", " + convStrides.length);
        }
        if (heads <= 0 || hidden % heads != 0) throw new IllegalArgumentException(heads + " heads do not divide " + hidden);
        if (posGroups <= 0 || hidden % posGroups != 0) {
            throw new IllegalArgumentException(posGroups + " positional conv groups do not divide " + hidden);
        }
        convChannels = convChannels.clone();
        convKernels = convKernels.clone();
        convStrides = convStrides.clone();
    }

    private static void inRange(String key, int value, int max) {
        if (value < 1 || value > max) throw new IllegalArgumentException(key + " " + value + " is out of range (1.." + max + ")");
    }

    /** HuBERT base / wav2vec 2.0 base: 95 M parameters. */
    public static HubertConfig base() {
        return new HubertConfig(filled(512), KERNELS, STRIDES, false, FeatureNorm.GROUP, 768, 12, 12, 3072,
                128, 16, false, true, 1e-5f, false);
    }

    /** HuBERT large / wav2vec 2.0 large (LV-60): 317 M parameters. */
    public static HubertConfig large() {
        return new HubertConfig(filled(512), KERNELS, STRIDES, true, FeatureNorm.LAYER, 1024, 24, 16, 4096,
                128, 16, true, true, 1e-5f, true);
    }

    // Arrays go out as copies: a config is a value.
    @Override public int[] convChannels() { return convChannels.clone(); }

    @Override public int[] convKernels() { return convKernels.clone(); }

    @Override public int[] convStrides() { return convStrides.clone(); }

    public int convLayers() { return convChannels.length; }

    /** Width of the feature encoder's output. */
    public int featureDim() { return convChannels[convChannels.length - 1]; }

    public int headDim() { return hidden / heads; }

    /** Frames the feature encoder makes of {@code samples} samples: floor((n - k) / s) + 1 per conv, never negative. */
    public int frames(int samples) {
        int n = samples;
        for (int i = 0; i < convKernels.length; i++) n = n < convKernels[i] ? 0 : (n - convKernels[i]) / convStrides[i] + 1;
        return n;
    }

    public HubertConfig withDoNormalize(boolean normalize) {
        return new HubertConfig(convChannels, convKernels, convStrides, convBias, featureNorm, hidden, layers, heads,
                ffn, posKernel, posGroups, layerNormFirst, projectionNorm, layerNormEps, normalize);
    }

    // ---- the metadata form -------------------------------------------------------------------------------

    /** Flat string pairs for a safetensors {@code __metadata__} block. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ser.model", "hubert");
        m.put("conv_channels", join(convChannels));
        m.put("conv_kernels", join(convKernels));
        m.put("conv_strides", join(convStrides));
        m.put("conv_bias", Boolean.toString(convBias));
        m.put("feature_norm", featureNorm.name().toLowerCase());
        m.put("hidden_size", Integer.toString(hidden));
        m.put("num_layers", Integer.toString(layers));
        m.put("num_heads", Integer.toString(heads));
        m.put("ffn_size", Integer.toString(ffn));
        m.put("pos_conv_kernel", Integer.toString(posKernel));
        m.put("pos_conv_groups", Integer.toString(posGroups));
        m.put("layer_norm_first", Boolean.toString(layerNormFirst));
        m.put("projection_norm", Boolean.toString(projectionNorm));
        m.put("layer_norm_eps", Float.toString(layerNormEps));
        m.put("do_normalize", Boolean.toString(doNormalize));
        return m;
    }

    /**
     * The config an engine weights file carries in its metadata; a file without one (a checkpoint not yet
     * converted) or with a malformed key is a one-line error naming the file and the key.
     */
    public static HubertConfig of(Safetensors weights, Path file) {
        try {
            return fromMetadata(weights.metadata());
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(file, e.getMessage() + " (convert the checkpoint to an engine weights file first)");
        }
    }

    /**
     * Reads {@link #toMetadata}'s pairs back. A missing or malformed key throws IllegalArgumentException
     * naming it; {@link #of} wraps it with the file name.
     */
    public static HubertConfig fromMetadata(Map<String, String> m) {
        Function<String, String> get = key -> {
            String v = m.get(key);
            if (v == null) throw new IllegalArgumentException("metadata has no '" + key + "'");
            return v;
        };
        if (!"hubert".equals(m.get("ser.model"))) {
            throw new IllegalArgumentException("not a ser HuBERT weights file (metadata ser.model = " + m.get("ser.model") + ")");
        }
        try {
            return new HubertConfig(ints(get.apply("conv_channels")), ints(get.apply("conv_kernels")),
                    ints(get.apply("conv_strides")), bool(get.apply("conv_bias")),
                    FeatureNorm.valueOf(get.apply("feature_norm").toUpperCase()),
                    Integer.parseInt(get.apply("hidden_size")), Integer.parseInt(get.apply("num_layers")),
                    Integer.parseInt(get.apply("num_heads")), Integer.parseInt(get.apply("ffn_size")),
                    Integer.parseInt(get.apply("pos_conv_kernel")), Integer.parseInt(get.apply("pos_conv_groups")),
                    bool(get.apply("layer_norm_first")), bool(get.apply("projection_norm")),
                    Float.parseFloat(get.apply("layer_norm_eps")), bool(get.apply("do_normalize")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number in metadata: " + e.getMessage());
        }
    }

    private static boolean bool(String s) {
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + s + "'");
        };
    }

    private static int[] filled(int value) {
        int[] a = new int[KERNELS.length];
        Arrays.fill(a, value);
        return a;
    }

    private static String join(int[] a) {
        return Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    // Records compare arrays by identity; configs are compared by content in tests and caches.
    @Override
    public boolean equals(Object o) {
        return o instanceof HubertConfig c && toMetadata().equals(c.toMetadata());
    }

    @Override
    public int hashCode() { return toMetadata().hashCode(); }

    @Override
    public String toString() { return "HubertConfig" + toMetadata(); }
}
