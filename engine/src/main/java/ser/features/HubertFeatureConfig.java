package ser.features;

import ser.SerException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a model sees of a clip through a frozen HuBERT / wav2vec 2.0 encoder: hidden states of chosen layers,
 * averaged over the clip or frame by frame.
 *
 * @param weights    an engine weights file ({@code ser convert})
 * @param layers     {@code all} (every hidden state: 0 is the transformer's input, L the last layer's output),
 *                   {@code last}, one index ({@code 12}) or several ({@code 0,6,12}). One layer, as {@code last} or
 *                   an index, gives inputs without a layer axis: {@code [dim]} or {@code [frames, dim]}
 * @param pool       {@code mean}: one vector per layer, the mean over the clip's frames, {@code [layers, dim]};
 *                   {@code none}: every frame, {@code [layers, frames, dim]}, frames varying with the clip's length
 * @param maxSeconds only the first this many seconds of each file; 0 for the whole file
 * @param digest     the SHA-256 prefix the weights must have (a run directory records it), or null for any
 */
public record HubertFeatureConfig(Path weights, String layers, String pool, double maxSeconds, String digest) {

    public static final List<String> POOLS = List.of("mean", "none");

    public HubertFeatureConfig {
        if (!POOLS.contains(pool)) throw new IllegalArgumentException("pool must be mean or none, got " + SerException.quote(pool));
        if (!(maxSeconds >= 0 && maxSeconds <= 3600)) {
            throw new IllegalArgumentException("max_seconds must be in [0, 3600] (0: the whole file), got " + maxSeconds);
        }
        layers = layers.replace(" ", "");
        if (!layers.equals("all") && !layers.equals("last")) Selection.indices(layers); // a malformed list fails now
    }

    public boolean pooled() {
        return pool.equals("mean");
    }

    /** The hidden states a layer spec picks from a model with {@code layerCount} layers, and whether it keeps the axis. */
    public record Selection(int[] states, boolean keepAxis) {

        public static Selection parse(String spec, int layerCount) {
            switch (spec) {
                case "all" -> {
                    int[] all = new int[layerCount + 1];
                    for (int i = 0; i <= layerCount; i++) all[i] = i;
                    return new Selection(all, true);
                }
                case "last" -> {
                    return new Selection(new int[] {layerCount}, false);
                }
                default -> {
                    int[] idx = indices(spec);
                    for (int i : idx) {
                        if (i < 0 || i > layerCount) {
                            throw new IllegalArgumentException("layer " + i + " is outside 0.." + layerCount + " (0 is the transformer's input)");
                        }
                    }
                    return new Selection(idx, spec.contains(","));
                }
            }
        }

        static int[] indices(String spec) {
            try {
                return Arrays.stream(spec.split(",")).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("layers must be all, last, an index or a list of indices, got " + SerException.quote(spec));
            }
        }
    }

    /** The line a cache key and a log show; {@code states} is what is stored (the model's selection is applied later). */
    String describe(String digest, String states) {
        return String.format(Locale.ROOT, "hubert weights-sha256=%s states=%s pool=%s max_seconds=%s", digest, states, pool,
                maxSeconds == 0 ? "whole" : Double.toString(maxSeconds));
    }
}
