package ser.model;

import ser.nn.Module;

import java.util.random.RandomGenerator;

/** How one kind of layer ({@code conv2d}, {@code linear}, …) is made from its settings and its input shape. */
@FunctionalInterface
public interface LayerType {

    /** What the builder passes to every layer: the label-set size and the seeded generator for initial weights. */
    record Context(int classes, RandomGenerator init) {}

    /** A layer and the shape of one output (no batch axis). */
    record Built(Module module, int[] outputShape) {}

    /**
     * Makes the layer for inputs shaped {@code in} (no batch axis); a setting or shape it cannot take is an
     * {@link IllegalArgumentException} whose message the builder prefixes with the file and the layer.
     */
    Built build(LayerSpec spec, int[] in, Context context);
}
