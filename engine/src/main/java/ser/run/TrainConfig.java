package ser.run;

import ser.SerException;
import ser.config.ConfigNode;
import ser.config.ConfigOverrides;
import ser.config.ConfigText;
import ser.data.LabelSet;
import ser.features.Features;
import ser.io.AtomicFiles;
import ser.model.ModelSpec;
import ser.tensor.Backends;
import ser.tensor.Devices;
import ser.tensor.Parallel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A training recipe, read from YAML ({@code config/train-*.yaml}); every key is optional except where noted,
 * and an unknown key is an error naming the file and the key.
 *
 * <pre>
 * description: free text
 * seed: 42                         # initial weights, batch order, dropout, augmentation
 * labels: seed4                    # seed4 (NEU HAP SAD ANG) | all
 * features: {mel: features/mel-seed.yaml, clip_seconds: 3.0, normalize: none}   # see FeatureSection
 * split: {kind: speakers, ...}     # see SplitConfig
 * model: models/mel-cnn-seed.yaml  # see ModelSpec
 * training: {...}                  # see TrainingConfig
 * augment: {...}                   # see AugmentConfig
 * data: {balance: ..., corpora: {...}}   # see DataConfig: corpora, their weights, balanced draws
 * device: cpu                      # cpu | cuda | auto, optionally :fp32 | :tf32 | :bf16 (see Devices); what HuBERT
 *                                  # and the network run on when the job names no device
 * </pre>
 * File references are resolved next to the config first, then among the built-in configs.
 *
 * <p>A model of several inputs (branches and a fusion) reads named features, one section per branch:
 * <pre>
 * features:
 *   mel: {kind: mel, mel: features/mel-seed.yaml, clip_seconds: 3.0, normalize: utterance}
 *   hubert: {kind: hubert, weights: hubert-base.safetensors, layers: all, pool: mean}
 * </pre>
 * A mapping whose values are all mappings is read this way; a single section's values are plain.
 *
 * @param features each model input's features by name ({@link ModelSpec#SINGLE_INPUT} for a single section)
 * @param device   the device the recipe asks for ({@link Devices.Spec}), or null: the CPU unless the job picks one
 */
public record TrainConfig(Path source, String description, long seed, String labels, Map<String, FeatureSection> features,
                          SplitConfig split, ModelSpec model, TrainingConfig training, AugmentConfig augment,
                          DataConfig data, Devices.Spec device) {

    /** The names a run directory gives its copies of the referenced files. */
    static final String CONFIG = "config.yaml", MODEL = "model.yaml", MEL = "mel";

    public TrainConfig {
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }

    /** Reads a config file; a path that does not exist is looked up among the built-in configs. */
    public static TrainConfig load(Path file) {
        return load(file, List.of());
    }

    /** Reads a config file with {@code key.path=value} overrides applied ({@link ConfigOverrides}). */
    public static TrainConfig load(Path file, List<String> overrides) {
        if (Files.isRegularFile(file)) {
            ConfigText text = ConfigText.read(file);
            return parse(ConfigOverrides.apply(text.text(), text.origin(), overrides));
        }
        ConfigText embedded = ConfigText.embedded(file.toString());
        if (embedded == null) throw SerException.inFile(file, "no such file (nor a built-in config of that name)");
        return parse(ConfigOverrides.apply(embedded.text(), embedded.origin(), overrides));
    }

    public static TrainConfig parse(ConfigNode root) {
        String description = root.string("description", "");
        long seed = root.longValue("seed", 42);
        String labels = root.choice("labels", "seed4", LabelSet.NAMES);

        Map<String, FeatureSection> features = readFeatures(root);
        SplitConfig split = SplitConfig.read(root.node("split"), seed);
        if (!root.has("model")) throw SerException.inFile(root.file(), "missing key 'model' (a model file, e.g. models/mel-cnn-seed.yaml)");
        ConfigText modelText = ConfigText.resolve(root, "model");
        ModelSpec model = ModelSpec.parse(modelText.text(), modelText.origin());
        if (!Set.copyOf(model.inputs()).equals(features.keySet())) {
            throw root.error("features", model.branches().isEmpty()
                    ? "names inputs " + features.keySet() + ", but " + model.source().getFileName() + " reads one input"
                    : "must name the inputs of " + model.source().getFileName() + "'s branches, " + model.inputs()
                    + ", got " + (features.containsKey(ModelSpec.SINGLE_INPUT) ? "a single section" : features.keySet()));
        }
        TrainingConfig training = TrainingConfig.read(root.node("training"));
        AugmentConfig augment = AugmentConfig.read(root.node("augment"));
        DataConfig data = DataConfig.read(root.node("data"));
        Devices.Spec device = device(root);
        root.finish();
        return new TrainConfig(root.file(), description, seed, labels, features, split, model, training, augment, data, device);
    }

    private static Devices.Spec device(ConfigNode root) {
        String spec = root.string("device", null);
        if (spec == null) return null;
        try {
            return Devices.Spec.parse(spec);
        } catch (SerException e) {
            throw SerException.inFile(root.file(), e.getMessage());
        }
    }

    /** One unnamed section, or named sections when every value under {@code features:} is a mapping. */
    private static Map<String, FeatureSection> readFeatures(ConfigNode root) {
        ConfigNode f = root.node("features");
        Map<String, FeatureSection> out = new LinkedHashMap<>();
        boolean named = !f.keys().isEmpty() && f.keys().stream().allMatch(f::holdsMapping);
        if (!named) {
            out.put(ModelSpec.SINGLE_INPUT, FeatureSection.read(f));
            return out;
        }
        for (String name : f.keys()) out.put(name, FeatureSection.read(f.node(name)));
        return out;
    }

    /**
     * Writes the recipe as used into {@code dir}: {@code config.yaml} with every setting explicit, and beside it
     * {@code model.yaml} and {@code mel.yaml} (or {@code mel-NAME.yaml} per named mel input), the referenced files
     * as they were, so that the directory alone rebuilds the model.
     */
    public void writeTo(Path dir) {
        Map<String, Object> sections = new LinkedHashMap<>();
        features.forEach((name, section) -> sections.put(name, section.writeTo(dir, isSingleInput() ? MEL : MEL + "-" + name)));
        Map<String, Object> yaml = Yamls.map(
                "description", description,
                "seed", seed,
                "labels", labels,
                "features", isSingleInput() ? sections.get(ModelSpec.SINGLE_INPUT) : sections,
                "split", split.toYaml(),
                "model", MODEL,
                "training", training.toYaml(),
                "augment", augment.toYaml(),
                "data", data.toYaml());
        if (device != null) yaml.put("device", device.toString());
        AtomicFiles.writeString(dir.resolve(MODEL), model.yaml());
        AtomicFiles.writeString(dir.resolve(CONFIG), "# As used by this run (from " + source + ").\n" + Yamls.dump(yaml));
    }

    /** The same recipe with another model (ser import) or another split (ser demo --data). */
    /**
     * The same recipe with another run seed (initial weights, batch order, dropout, augmentation). The split keeps
     * the seed it was read with, so that a seed sweep trains and tests on the same folds.
     */
    public TrainConfig withSeed(long other) {
        return new TrainConfig(source, description, other, labels, features, split, model, training, augment, data, device);
    }

    public TrainConfig withModel(ModelSpec other) {
        return new TrainConfig(source, description, seed, labels, features, split, other, training, augment, data, device);
    }

    public TrainConfig withSplit(SplitConfig other) {
        return new TrainConfig(source, description, seed, labels, features, other, model, training, augment, data, device);
    }

    /** The extractor of every input, by name, in the model's order, on the CPU. */
    public Map<String, Features> openFeatures() {
        return openFeatures(Devices.cpu());
    }

    /**
     * The backend a job runs HuBERT on: {@code override} (a {@link Devices.Spec}, the job's own choice) when not
     * null, else the recipe's {@code device}, else the CPU; the network runs there too. {@code notice} hears one line
     * when {@code auto} falls back to the CPU, and one when the backend is a device but no input of this model is
     * computed on it. Throws
     * {@link SerException} with the reason when the device cannot run here.
     */
    public Backends.Backend openDevice(String override, Consumer<String> notice) {
        Backends.Backend backend;
        if (override != null || device == null) {
            backend = Devices.open(override != null ? override : "cpu", Parallel.shared(), notice);
        } else {
            try {
                backend = Devices.open(device, Parallel.shared(), notice);
            } catch (SerException e) {
                throw SerException.inFile(source, e.getMessage(), e); // the recipe asked for it: name the file
            }
        }
        if (!backend.onCpu() && features.values().stream().noneMatch(FeatureSection::usesDevice)) {
            boolean mel = features.values().stream().allMatch(f -> f instanceof FeatureSection.Mel);
            notice.accept((mel ? "the log-Mel front end runs" : "this model's features run")
                    + " on the CPU in this version (the network runs on " + backend.name() + ")");
        }
        return backend;
    }

    /** The extractor of every input, by name, in the model's order; HuBERT inputs run on {@code backend}. */
    public Map<String, Features> openFeatures(Backends.Backend backend) {
        Map<String, Features> out = new LinkedHashMap<>();
        features.forEach((name, section) -> out.put(name, section.open(backend)));
        int rate = out.values().iterator().next().sampleRate();
        for (var e : out.entrySet()) {
            if (e.getValue().sampleRate() != rate) {
                throw SerException.inFile(source, "features '" + e.getKey() + "' want " + e.getValue().sampleRate()
                        + " Hz audio, the others " + rate + " Hz; the inputs of one model must share a sample rate");
            }
        }
        return out;
    }

    private boolean isSingleInput() {
        return features.containsKey(ModelSpec.SINGLE_INPUT) && features.size() == 1;
    }
}
