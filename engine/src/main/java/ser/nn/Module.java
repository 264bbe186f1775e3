package ser.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.SerException;
import ser.autograd.Variable;
import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/**
 * A layer or model: named parameters and buffers, named child modules, a train/eval mode, the training kernels it
 * computes on, and a state dict with PyTorch's names and order ({@code conv1.weight}, {@code bn1.running_mean}, …:
 * per module its parameters, then its buffers, then each child under {@code childName.}), so that checkpoints map
 * one to one onto the seed's.
 *
 * <p>Kernels: every module starts on {@link Kernels#SIMD}; {@link #to} moves a module and all its children to
 * another backend, as PyTorch's {@code model.to(device)} does, once, after building it. {@link #forward} hands
 * {@link #kernels()} to each autograd op it calls.
 */
public abstract class Module {

    private final Map<String, Variable> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private Kernels kernels = Kernels.SIMD;

    public abstract Variable forward(Variable input);

    protected final Variable addParameter(String name, Tensor value) {
        Variable p = Variable.parameter(value);
        parameters.put(name, p);
        return p;
    }

    /** A tensor that is state but not trained (running statistics); updated in place by the module. */
    protected final Tensor addBuffer(String name, Tensor value) {
        buffers.put(name, value);
        return value;
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

    /** Parameters and buffers under PyTorch's names; the tensors are the live ones, not copies. */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    /**
     * Copies every entry of {@code state} into the tensor of the same name. Strict, as PyTorch's default: a
     * missing or unexpected name, or a shape that differs, is an error and nothing is half-loaded.
     */
    public final void loadStateDict(Map<String, Tensor> state) {
        Map<String, Tensor> own = stateDict();
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
        for (var e : own.entrySet()) e.getValue().copyFrom(state.get(e.getKey()));
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
     * Computes with {@code kernels} from now on, in this module and every child: pick the backend once, when the
     * model is built (e.g. {@code model.to(Kernels.named("reference"))}).
     */
    public final Module to(Kernels kernels) {
        this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
        for (Module child : children.values()) child.to(kernels);
        return this;
    }

    /** The kernels this module's forward (and so its backward) pass runs on. */
    public final Kernels kernels() {
        return kernels;
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
