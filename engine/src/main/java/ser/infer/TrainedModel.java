package ser.infer;

import ser.features.LogMelFeatures;
import ser.io.Safetensors;
import ser.model.Model;
import ser.model.ModelBuilder;
import ser.SerException;
import ser.train.RunDirectory;
import ser.train.TrainConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * A run directory's model ready for use: its recipe, its labels, its best weights and its feature pipeline, so
 * that evaluation and prediction see audio exactly as training did.
 */
public final class TrainedModel {

    private final RunDirectory run;
    private final TrainConfig config;
    private final List<String> labels;
    private final LogMelFeatures features;
    private final Model model;

    private TrainedModel(RunDirectory run, TrainConfig config, List<String> labels, LogMelFeatures features, Model model) {
        this.run = run;
        this.config = config;
        this.labels = labels;
        this.features = features;
        this.model = model;
    }

    public static TrainedModel load(Path runDir) {
        RunDirectory run = new RunDirectory(runDir).requireModel();
        TrainConfig config = TrainConfig.load(run.config());
        List<String> labels = run.readLabels();
        LogMelFeatures features = new LogMelFeatures(config.features());
        Model model = ModelBuilder.build(config.model(), features.inputShape(), labels.size(), config.seed());
        try {
            model.loadStateDict(Safetensors.read(run.best()).tensors());
        } catch (SerException e) {
            throw SerException.inFile(run.best(), e.getMessage(), e);
        }
        model.eval();
        return new TrainedModel(run, config, labels, features, model);
    }

    public RunDirectory run() { return run; }

    public TrainConfig config() { return config; }

    public List<String> labels() { return labels; }

    public LogMelFeatures features() { return features; }

    public Model model() { return model; }

    /** Logits of prepared inputs (as {@link LogMelFeatures#toInput} makes them). */
    public float[][] logits(float[][] inputs) {
        return Inference.logits(model, inputs, config.training().batchSize());
    }

    /** Logits of one clip of samples at the features' sample rate (padded or trimmed to the clip length). */
    public float[] logits(float[] samples) {
        float[] input = features.toInput(features.spectrogram(samples).contiguous().toArray());
        return Inference.logits(model, new float[][] {input}, 1)[0];
    }
}
