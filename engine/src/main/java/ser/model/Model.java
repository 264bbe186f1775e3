package ser.model;

import ser.autograd.Variable;
import ser.nn.Module;

import java.util.Arrays;
import java.util.List;

/**
 * A network built from a {@link ModelSpec}: its layers in order, each registered under its state-dict name, so
 * that the seed's {@code conv1.weight} or {@code net.0.bias} is found where PyTorch put it.
 */
public final class Model extends Module {

    private final List<Module> layers;
    private final List<StepDropout> dropouts;
    private final int[] inputShape;
    private final int classes;

    Model(List<String> names, List<Module> layers, List<StepDropout> dropouts, int[] inputShape, int classes) {
        this.layers = List.copyOf(layers);
        this.dropouts = List.copyOf(dropouts);
        this.inputShape = inputShape.clone();
        this.classes = classes;
        for (int i = 0; i < layers.size(); i++) addModule(names.get(i), layers.get(i));
    }

    /** {@code [n, …inputShape]} → logits {@code [n, classes]}. */
    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            throw new IllegalArgumentException("model wants [n, " + Arrays.toString(inputShape).replaceAll("[\\[\\]]", "")
                    + "], got " + Arrays.toString(s));
        }
        for (Module layer : layers) x = layer.forward(x);
        return x;
    }

    /** One input without the batch axis, e.g. {@code [1, 128, 151]}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    public int classes() {
        return classes;
    }

    /** Fixes the dropout masks of the next forward pass: each dropout layer draws from its own stream of {@code seed}. */
    public void reseedDropout(long seed) {
        for (int i = 0; i < dropouts.size(); i++) dropouts.get(i).reseed(Seeds.mix(seed, i));
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Variable::size).sum();
    }
}
