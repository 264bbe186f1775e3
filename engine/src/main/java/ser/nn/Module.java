package ser.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.SerException;
import ser.autograd.Variable;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * A layer or model: named parameters and buffers, named child modules, a train/eval mode, the training kernels it
 * computes on, and a state dict with PyTorch's names and order ({@code conv1.weight}, {@code bn1.running_mean}, …:
 * per module its parameters, then its buffers, then each child under {@code childName.}), so that checkpoints map
 * one to one onto the seed's.
 *
 * <p>Backend: every module starts on the CPU ({@link HostTrainingOps#SIMD}); {@link #to} moves a module and all
 * its children, parameters and buffers, to another backend, as PyTorch's {@code model.to(device)} does, once,
 * after building it. {@link #forward} hands {@link #ops()} to each autograd op it calls.
 */
public abstract class Module {

    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    /** The buffers that stay in host memory whatever the backend: counters that no kernel reads. */
    private final java.util.Set<String> hostBuffers = new java.util.HashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private TrainingOps ops = HostTrainingOps.SIMD;

    public abstract Variable forward(Variable input);

    protected final Variable addParameter(String name, Tensor value) {
        Variable p = Variable.parameter(value);
        parameters.put(name, p);
        return p;
    }

    /**
     * A tensor that is state but not trained (running statistics); updated in place by the module, which reads it
     * through {@link #buffer} (moving the module to a backend replaces it).
     */
    protected final void addBuffer(String name, Tensor value) {
        buffers.put(name, value);
    }

    /** A buffer that stays in host memory on every backend: a counter that only host code reads and writes. */
    protected final Tensor addHostBuffer(String name, Tensor value) {
        buffers.put(name, value);
        hostBuffers.add(name);
        return value;
    }

    /** The buffer {@code name}, on this module's backend. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    protected final <M extends Module> M addModule(String name, M module) {
        children.put(name, module);
        return module;
    }

    /** Every trainable parameter under its dotted name, in registration order. */
    public final Map<String, Variable> namedParameters() {
        Map<String, Variable> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    public final List<Variable> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /**
     * Parameters and buffers under PyTorch's names, in host memory: on the CPU the live tensors, not copies; on a
     * device, copies downloaded.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = liveState();
        out.replaceAll((name, t) -> t.isHost() ? t : ops.download(t));
        return out;
    }

    private Map<String, Tensor> liveState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    /**
     * Copies every entry of {@code state} into the tensor of the same name. Strict, as PyTorch's default: a
     * missing or unexpected name, or a shape that differs, is an error and nothing is half-loaded.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = liveState();
        for (var e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) throw new SerException("state dict has no entry " + e.getKey());
            if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                throw new SerException("state dict entry " + e.getKey() + " has shape " + Arrays.toString(given.shape())
                        + ", the model wants " + Arrays.toString(e.getValue().shape()));
            }
        }
        for (String name : state.keySet()) {
            if (!own.containsKey(name)) throw new SerException("state dict entry " + name + " is not in the model");
        }
        for (var e : own.entrySet()) {
            Tensor live = e.getValue(), given = state.get(e.getKey());
            if (live.isHost()) live.copyFrom(given);
            else ops.copy(ops.upload(given), live);
        }
    }

    /** Training mode for this module and every child (batch statistics, active dropout). */
    public final Module train() {
        return setTraining(true);
    }

    /** Inference mode for this module and every child (running statistics, no dropout). */
    public final Module eval() {
        return setTraining(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /**
     * Computes on {@code ops} from now on, in this module and every child, its parameters and buffers copied
     * there: pick the backend once, when the model is built (e.g. {@code model.to(HostTrainingOps.REFERENCE)}).
     */
    public final Module to(TrainingOps ops) {
        java.util.Objects.requireNonNull(ops, "ops");
        if (ops != this.ops) {
            for (Variable p : parameters.values()) p.moveTo(ops);
            buffers.replaceAll((name, b) -> {
                return hostBuffers.contains(name) ? b : ops.copyOf(this.ops.download(b));
            });
            this.ops = ops;
        }
        for (Module child : children.values()) child.to(ops);
        return this;
    }

    /** The backend this module's forward (and so its backward) pass runs on. */
    public final TrainingOps ops() {
        return ops;
    }

    private Module setTraining(boolean on) {
        training = on;
        for (Module child : children.values()) child.setTraining(on);
        return this;
    }

    private void collectParameters(String prefix, Map<String, Variable> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p));
        children.forEach((name, child) -> child.collectParameters(prefix + name + ".", out));
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((name, p) -> out.put(prefix + name, p.data()));
        buffers.forEach((name, b) -> out.put(prefix + name, b));
        children.forEach((name, child) -> child.collectState(prefix + name + ".", out));
    }
}
