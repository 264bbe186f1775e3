package ser.run;

import ser.config.ConfigNode;
import ser.config.ConfigText;
import ser.dsp.MelConfig;
import ser.features.FeatureConfig;
import ser.features.Features;
import ser.features.HubertFeatureConfig;
import ser.features.HubertFeatures;
import ser.features.LogMelFeatures;
import ser.features.ProsodyFeatureConfig;
import ser.features.ProsodyFeatures;
import ser.io.AtomicFiles;
import ser.tensor.Backends;
import ser.tensor.Devices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The features of one model input as a recipe gives them: {@code features:} itself, or one named entry of it.
 * <pre>
 * kind: mel      mel: features/mel-seed.yaml, clip_seconds: 3.0, normalize: none, trim: none, pad: zero
 * kind: hubert   weights: hubert-base.safetensors, layers: all, pool: mean, max_seconds: 0
 * kind: prosody  pitch_floor: 75, pitch_ceiling: 600, formant_ceiling: 5500
 * </pre>
 */
public sealed interface FeatureSection {

    List<String> KINDS = List.of("mel", "hubert", "prosody");

    /** The extractor on the CPU; for HuBERT this reads the weights' config and digest. */
    default Features open() {
        return open(Devices.cpu());
    }

    /**
     * The extractor, its HuBERT encoder on {@code backend}; log-Mel and prosody features are computed on the CPU
     * whatever the backend.
     */
    Features open(Backends.Backend backend);

    /** Whether the extractor runs a model that a device backend can run (HuBERT), rather than CPU-only code. */
    default boolean usesDevice() {
        return false;
    }

    /**
     * The section as a run directory stores it, every value explicit; side files (a mel config) are written into
     * {@code dir} under names starting with {@code stem}.
     */
    Map<String, Object> writeTo(Path dir, String stem);

    record Mel(FeatureConfig config, ConfigText source) implements FeatureSection {
        @Override
        public Features open(Backends.Backend backend) {
            return new LogMelFeatures(config);
        }

        @Override
        public Map<String, Object> writeTo(Path dir, String stem) {
            AtomicFiles.writeString(dir.resolve(stem + ".yaml"), source.text());
            return Yamls.map("kind", "mel", "mel", stem + ".yaml", "clip_seconds", config.clipSeconds(),
                    "normalize", config.normalize(), "trim", config.trim(), "pad", config.pad());
        }
    }

    record Hubert(HubertFeatureConfig config) implements FeatureSection {
        @Override
        public Features open(Backends.Backend backend) {
            return new HubertFeatures(config, backend);
        }

        @Override
        public boolean usesDevice() {
            return true;
        }

        /** With the weights' absolute path and digest, so that the run refuses other weights under the same name. */
        @Override
        public Map<String, Object> writeTo(Path dir, String stem) {
            HubertFeatures features = new HubertFeatures(config);
            return Yamls.map("kind", "hubert", "weights", config.weights().toAbsolutePath().normalize().toString(),
                    "weights_sha256", features.digest(), "layers", config.layers(), "pool", config.pool(),
                    "max_seconds", config.maxSeconds());
        }
    }

    record Prosody(ProsodyFeatureConfig config) implements FeatureSection {
        @Override
        public Features open(Backends.Backend backend) {
            return new ProsodyFeatures(config);
        }

        @Override
        public Map<String, Object> writeTo(Path dir, String stem) {
            return Yamls.map("kind", "prosody", "pitch_floor", config.pitchFloor(), "pitch_ceiling", config.pitchCeiling(),
                    "formant_ceiling", config.formantCeiling());
        }
    }

    /** Reads one section; relative paths are resolved next to the recipe first, then in the working directory. */
    static FeatureSection read(ConfigNode f) {
        String kind = f.choice("kind", "mel", KINDS);
        try {
            if (kind.equals("mel")) {
                ConfigText source = f.has("mel") ? ConfigText.resolve(f, "mel") : ConfigText.embedded("features/mel-seed.yaml");
                MelConfig mel = MelConfig.parse(source.text(), source.origin());
                return new Mel(new FeatureConfig(mel, f.number("clip_seconds", 3.0),
                        f.choice("normalize", "none", FeatureConfig.NORMALIZATIONS),
                        f.choice("trim", "none", FeatureConfig.TRIMS), f.choice("pad", "zero", FeatureConfig.PADS)), source);
            }
            if (kind.equals("prosody")) {
                ProsodyFeatureConfig d = ProsodyFeatureConfig.defaults();
                return new Prosody(new ProsodyFeatureConfig(f.number("pitch_floor", d.pitchFloor()),
                        f.number("pitch_ceiling", d.pitchCeiling()), f.number("formant_ceiling", d.formantCeiling())));
            }
            return new Hubert(new HubertFeatureConfig(weights(f), layers(f), f.choice("pool", "mean", HubertFeatureConfig.POOLS),
                    f.number("max_seconds", 0), f.string("weights_sha256", null)));
        } catch (IllegalArgumentException e) {
            // The records' messages start with the key they are about: "clip_seconds must be in (0, 600], got 0".
            String message = e.getMessage();
            int space = message.indexOf(' ');
            throw f.error(message.substring(0, space), message.substring(space + 1));
        }
    }

    private static Path weights(ConfigNode f) {
        Path given = Path.of(f.string("weights"));
        if (given.isAbsolute()) return given;
        Path dir = f.file().toAbsolutePath().getParent();
        if (dir != null && Files.isRegularFile(dir.resolve(given))) return dir.resolve(given);
        return given.toAbsolutePath();
    }

    /** {@code all}, {@code last}, {@code 12} or {@code [0, 6, 12]}, as one string. */
    private static String layers(ConfigNode f) {
        if (f.raw("layers") instanceof List<?>) return String.join(",", f.strings("layers"));
        return f.string("layers", "all");
    }
}
