package ser.job;

import ser.SerException;
import ser.io.TorchCheckpoint;
import ser.model.Model;
import ser.model.ModelBuilder;
import ser.model.ModelSpec;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code ser import}: a {@code torch.save(model.state_dict())} of the seed's MelCNN (or of any model a model file
 * describes with the same names) turned into a run directory that {@code predict} and {@code evaluate} accept.
 * The checkpoint is read by {@link TorchCheckpoint}, which executes nothing from the file.
 *
 * @param recipe the train config whose features the model expects; null for the seed's (train-mel-seed.yaml)
 */
public record ImportJob(Path checkpoint, Path modelFile, List<String> labels, Path out, Path recipe) {

    public RunDirectory run() {
        if (labels.isEmpty()) throw new SerException("no labels: give the class names in the model's output order");
        RunDirectory run = new RunDirectory(out);
        run.requireFresh();
        ModelSpec spec = ModelSpec.load(modelFile);
        TrainConfig config = TrainConfig.load(recipe != null ? recipe : Path.of("train-mel-seed.yaml")).withModel(spec);
        if (config.features().size() != 1) {
            throw SerException.inFile(config.source(), "has several inputs; only a model of one input can be imported");
        }
        int[] input = config.openFeatures().values().iterator().next().inputShape();
        Model model = load(checkpoint, spec, input, labels.size());

        config.writeTo(out);
        run.writeLabels(labels);
        ser.io.Safetensors.write(run.best(), model.stateDict(), Map.of("imported_from", checkpoint.toString()));
        run.log("imported " + checkpoint + " as " + spec.source() + " (" + model.parameterCount() + " parameters), labels "
                + labels + ", input " + Arrays.toString(input));
        return run;
    }

    /** The model of {@code spec} for inputs {@code inputShape}, with the checkpoint's weights; strict about names and shapes. */
    public static Model load(Path checkpoint, ModelSpec spec, int[] inputShape, int classes) {
        Model model = ModelBuilder.build(spec, inputShape, classes, 0);
        Map<String, Tensor> state = TorchCheckpoint.stateDict(checkpoint);
        try {
            model.loadStateDict(state);
        } catch (SerException e) {
            throw SerException.inFile(checkpoint, e.getMessage() + " (as " + spec.source().getFileName() + " on inputs "
                    + Arrays.toString(inputShape) + " with " + classes + " labels)", e);
        }
        model.eval();
        return model;
    }
}
