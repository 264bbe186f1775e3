package ser.train;

import ser.SerException;
import ser.io.Json;
import ser.io.Safetensors;
import ser.model.Model;
import ser.tensor.Tensor;
import ser.train.optim.Optimizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two checkpoint files of a run, both safetensors written atomically (temporary file, fsync, rename), so a
 * kill at any moment leaves the previous complete file.
 *
 * <ul>
 *   <li>{@code best}: the model's state dict under PyTorch's names ({@code conv1.weight}, …,
 *       {@code bn1.running_var}), loadable with {@code safetensors.torch.load_file} into the seed's model.</li>
 *   <li>{@code last}: {@code model/NAME} tensors, {@code optimizer/NAME} tensors, and the {@link TrainerState}
 *       as JSON in the metadata: everything a resumed run needs.</li>
 * </ul>
 */
final class Checkpoints {

    static final String FORMAT = "ser-train-checkpoint-1";
    private static final String MODEL = "model/", OPTIMIZER = "optimizer/";

    private Checkpoints() {}

    static void writeBest(Path file, Model model, int epoch, String monitor, double score) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(epoch));
        meta.put("monitor", monitor);
        meta.put("score", Double.toString(score));
        Safetensors.write(file, model.stateDict(), meta);
    }

    /** Loads best (or any plain state-dict safetensors) into {@code model}. */
    static void readWeights(Path file, Model model) {
        Map<String, Tensor> tensors = Safetensors.read(file).tensors();
        try {
            model.loadStateDict(tensors);
        } catch (SerException e) {
            throw SerException.inFile(file, e.getMessage(), e);
        }
    }

    static void writeLast(Path file, Model model, Optimizer optimizer, TrainerState state) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> tensors.put(MODEL + k, v));
        optimizer.state().forEach((k, v) -> tensors.put(OPTIMIZER + k, v));
        Safetensors.write(file, tensors, Map.of("format", FORMAT, "state", Json.write(state.toJson())));
    }

    /** Restores model and optimiser from {@code last} and returns the trainer state. */
    static TrainerState readLast(Path file, Model model, Optimizer optimizer) {
        Safetensors st = Safetensors.read(file);
        if (!FORMAT.equals(st.metadata().get("format"))) {
            throw SerException.inFile(file, "is not a training checkpoint of this version (format "
                    + st.metadata().get("format") + ", expected " + FORMAT + ")");
        }
        Map<String, Tensor> weights = new LinkedHashMap<>(), optim = new LinkedHashMap<>();
        st.tensors().forEach((k, v) -> {
            if (k.startsWith(MODEL)) weights.put(k.substring(MODEL.length()), v);
            else if (k.startsWith(OPTIMIZER)) optim.put(k.substring(OPTIMIZER.length()), v);
        });
        try {
            model.loadStateDict(weights);
            optimizer.loadState(optim);
            return TrainerState.fromJson((Map<?, ?>) Json.parse(st.metadata().get("state")));
        } catch (SerException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw SerException.inFile(file, "does not fit this run's model and optimiser: " + e.getMessage(), e);
        }
    }
}
