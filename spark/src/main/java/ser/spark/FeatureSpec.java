package ser.spark;

import ser.SerException;
import ser.audio.AudioLoader;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.features.HubertFeatureConfig;
import ser.features.HubertFeatures;
import ser.features.ProsodyFeatureConfig;
import ser.features.ProsodyFeatures;
import ser.tensor.Backends;
import ser.tensor.Devices;
import ser.tensor.Parallel;
import ser.tensor.Tensor;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What {@code ser spark features} computes, as a small serialisable value that travels to the executors in the
 * task closure (paths and options only, never the model). Each executor JVM turns it into one {@link Extractor}
 * ({@link #extractor()}): the weights are memory-mapped once per JVM and shared by all its tasks, not once per
 * task or per row.
 *
 * <p>The extractors are the ones {@code ser features} builds (cli FeaturesCommand), call for call, so that the
 * arrays are the same bit for bit; SparkFeaturesTest holds them to that.
 *
 * @param kind       mel, hubert or prosody
 * @param melConfig  a log-Mel YAML config, or null for the embedded seed config (mel only)
 * @param weights    engine weights (hubert only); must be readable at this path on every executor
 * @param layers     "all" or "0,4,12" (hubert)
 * @param pool       "mean" or "none" (hubert)
 * @param maxSeconds hubert reads at most this much of each file; 0 for all of it
 * @param device     what HuBERT runs on ({@link Devices.Spec}: cpu, cuda, auto, ...), opened by each executor JVM
 *                   for itself; null for cpu. Log-Mel and prosody features are computed on the CPU.
 */
public record FeatureSpec(String kind, String melConfig, String weights, String layers, String pool, double maxSeconds,
                          String device) implements Serializable {

    /** On the CPU. */
    public FeatureSpec(String kind, String melConfig, String weights, String layers, String pool, double maxSeconds) {
        this(kind, melConfig, weights, layers, pool, maxSeconds, null);
    }

    public FeatureSpec {
        if (!Arrays.asList("mel", "hubert", "prosody").contains(kind)) {
            throw new SerException("--kind must be mel, hubert or prosody, got '" + kind + "'");
        }
        if (kind.equals("hubert") && weights == null) {
            throw new SerException("--kind hubert needs --weights W (an engine weights file from 'ser convert')");
        }
        if (layers == null) layers = "all";
        if (pool == null) pool = "mean";
        if (device == null) device = "cpu";
        try {
            Devices.Spec.parse(device);
        } catch (SerException e) {
            throw new SerException("--device: " + e.getMessage(), e);
        }
    }

    /** Audio file to feature tensor, plus the key that says what the tensors are (the feature cache's key). */
    public interface Extractor {
        String key();

        Tensor compute(Path audio);
    }

    /** One extractor per spec per JVM: the executors' shared, lazily built engines. */
    private static final Map<FeatureSpec, Extractor> PER_JVM = new ConcurrentHashMap<>();

    /** This JVM's extractor for this spec, built on first use (the HuBERT weights are mapped on the first file). */
    public Extractor extractor() {
        return PER_JVM.computeIfAbsent(this, FeatureSpec::build);
    }

    private static Extractor build(FeatureSpec s) {
        // Opened for every kind, so that a device that cannot run here fails alike; notices go to this JVM's stderr.
        Backends.Backend backend = Devices.open(s.device, Parallel.shared(), FeatureSpec::notice);
        if (!s.kind.equals("hubert") && !backend.onCpu()) {
            notice((s.kind.equals("mel") ? "log-Mel" : "prosody") + " features run on the CPU in this version (only HuBERT runs on "
                    + backend.name() + ")");
        }
        return switch (s.kind) {
            case "mel" -> mel(s.melConfig == null ? MelConfig.seed() : MelConfig.load(Path.of(s.melConfig)));
            case "prosody" -> prosody(new ProsodyFeatures(ProsodyFeatureConfig.defaults()));
            default -> hubert(s, backend);
        };
    }

    private static void notice(String line) {
        System.err.println("ser: " + line);
    }

    private static Extractor mel(MelConfig cfg) {
        // One LogMel per task thread, as 'ser features' has one per worker: it keeps scratch buffers.
        ThreadLocal<LogMel> logMel = ThreadLocal.withInitial(() -> new LogMel(cfg));
        return new Extractor() {
            public String key() { return cfg.toString(); }

            public Tensor compute(Path audio) { return logMel.get().compute(AudioLoader.loadMono(audio, cfg.sampleRate())); }
        };
    }

    private static Extractor prosody(ProsodyFeatures features) {
        return new Extractor() {
            public String key() { return features.cacheKey(); }

            public Tensor compute(Path audio) { return features.compute(audio); }
        };
    }

    private static Extractor hubert(FeatureSpec s, Backends.Backend backend) {
        HubertFeatures features;
        try {
            features = new HubertFeatures(new HubertFeatureConfig(Path.of(s.weights), "all", s.pool, s.maxSeconds, null), backend);
        } catch (IllegalArgumentException e) {
            throw new SerException("--" + e.getMessage().replace("max_seconds", "max-seconds"));
        }
        int[] states = layerIndices(s.layers, features.model().layers());
        String key = features.cacheKey(states);
        return new Extractor() {
            public String key() { return key; }

            // One file at a time per JVM, as 'ser features' does: the encoder spreads each file's matrix products
            // over all the executor's cores itself, and its workspaces are not for two callers at once.
            public synchronized Tensor compute(Path audio) {
                return features.compute(AudioLoader.loadMono(audio, HubertFeatures.SAMPLE_RATE), states);
            }
        };
    }

    /** {@code ser features --layers}: all, last, or indices 0 (the transformer's input) .. L (the last layer). */
    static int[] layerIndices(String spec, int layers) {
        try {
            return HubertFeatureConfig.Selection.parse(spec.replace(" ", ""), layers).states();
        } catch (IllegalArgumentException e) {
            throw new SerException("--layers: " + e.getMessage());
        }
    }
}
