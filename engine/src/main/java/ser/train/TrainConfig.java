package ser.train;

import ser.SerException;
import ser.config.ConfigNode;
import ser.config.ConfigText;
import ser.data.LabelSet;
import ser.dsp.MelConfig;
import ser.features.FeatureConfig;
import ser.io.AtomicFiles;
import ser.model.ModelSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A training recipe, read from YAML ({@code config/train-*.yaml}); every key is optional except where noted,
 * and an unknown key is an error naming the file and the key.
 *
 * <pre>
 * description: free text
 * seed: 42                         # initial weights, batch order, dropout, augmentation
 * labels: seed4                    # seed4 (NEU HAP SAD ANG) | all
 * features: {mel: features/mel-seed.yaml, clip_seconds: 3.0, normalize: none}
 * split: {kind: speakers, ...}     # see SplitConfig
 * model: models/mel-cnn-seed.yaml  # see ModelSpec
 * training: {...}                  # see TrainingConfig
 * augment: {...}                   # see AugmentConfig
 * </pre>
 * File references are resolved next to the config first, then among the built-in configs.
 */
public record TrainConfig(Path source, String description, long seed, String labels, FeatureConfig features,
                          ConfigText melSource, SplitConfig split, ModelSpec model, TrainingConfig training,
                          AugmentConfig augment) {

    /** The names a run directory gives its copies of the referenced files. */
    static final String CONFIG = "config.yaml", MODEL = "model.yaml", MEL = "mel.yaml";

    /** Reads a config file; a path that does not exist is looked up among the built-in configs. */
    public static TrainConfig load(Path file) {
        if (Files.isRegularFile(file)) return parse(ConfigNode.load(file));
        ConfigText embedded = ConfigText.embedded(file.toString());
        if (embedded == null) throw SerException.inFile(file, "no such file (nor a built-in config of that name)");
        return parse(ConfigNode.parse(embedded.text(), embedded.origin()));
    }

    public static TrainConfig parse(ConfigNode root) {
        String description = root.string("description", "");
        long seed = root.longValue("seed", 42);
        String labels = root.choice("labels", "seed4", LabelSet.NAMES);

        ConfigNode f = root.node("features");
        f.choice("kind", "mel", List.of("mel")); // the only kind so far; HuBERT embeddings come next
        ConfigText melSource = f.has("mel") ? ConfigText.resolve(f, "mel") : ConfigText.embedded("features/mel-seed.yaml");
        MelConfig mel = MelConfig.parse(melSource.text(), melSource.origin());
        FeatureConfig features;
        try {
            features = new FeatureConfig(mel, f.number("clip_seconds", 3.0), f.choice("normalize", "none",
                    FeatureConfig.NORMALIZATIONS));
        } catch (IllegalArgumentException e) {
            throw root.error("features", e.getMessage());
        }

        SplitConfig split = SplitConfig.read(root.node("split"), seed);
        if (!root.has("model")) throw SerException.inFile(root.file(), "missing key 'model' (a model file, e.g. models/mel-cnn-seed.yaml)");
        ConfigText modelText = ConfigText.resolve(root, "model");
        ModelSpec model = ModelSpec.parse(modelText.text(), modelText.origin());
        TrainingConfig training = TrainingConfig.read(root.node("training"));
        AugmentConfig augment = AugmentConfig.read(root.node("augment"));
        root.finish();
        return new TrainConfig(root.file(), description, seed, labels, features, melSource, split, model, training,
                augment);
    }

    /**
     * Writes the recipe as used into {@code dir}: {@code config.yaml} with every setting explicit, and beside it
     * {@code model.yaml} and {@code mel.yaml}, the referenced files as they were, so that the directory alone
     * rebuilds the model.
     */
    public void writeTo(Path dir) {
        Map<String, Object> yaml = Yamls.map(
                "description", description,
                "seed", seed,
                "labels", labels,
                "features", Yamls.map("kind", "mel", "mel", MEL, "clip_seconds", features.clipSeconds(),
                        "normalize", features.normalize()),
                "split", split.toYaml(),
                "model", MODEL,
                "training", training.toYaml(),
                "augment", augment.toYaml());
        AtomicFiles.writeString(dir.resolve(MEL), melSource.text());
        AtomicFiles.writeString(dir.resolve(MODEL), model.yaml());
        AtomicFiles.writeString(dir.resolve(CONFIG), "# As used by this run (from " + source + ").\n" + Yamls.dump(yaml));
    }

    /** The same recipe with another model (ser import) or another split (ser demo --data). */
    public TrainConfig withModel(ModelSpec other) {
        return new TrainConfig(source, description, seed, labels, features, melSource, split, other, training, augment);
    }

    public TrainConfig withSplit(SplitConfig other) {
        return new TrainConfig(source, description, seed, labels, features, melSource, other, model, training, augment);
    }
}
