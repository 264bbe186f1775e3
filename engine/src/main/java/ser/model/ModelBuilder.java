package ser.model;

import ser.SerException;
import ser.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a {@link Model} from a {@link ModelSpec}: each layer in turn, with the shape the previous one produces,
 * so that no size is written twice. The initial weights come from one generator seeded with {@code seed}, drawn
 * layer by layer in file order: the same spec and seed always give the same weights.
 */
public final class ModelBuilder {

    private ModelBuilder() {}

    /**
     * @param inputShape one example without the batch axis, e.g. {@code [1, 128, 151]} for a log-Mel image
     * @param classes    the label-set size ({@code out: classes} in the file)
     */
    public static Model build(ModelSpec spec, int[] inputShape, int classes, long seed) {
        LayerType.Context context = new LayerType.Context(classes, new SplittableRandom(seed));
        List<String> names = new ArrayList<>();
        List<Module> modules = new ArrayList<>();
        List<StepDropout> dropouts = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        int[] shape = inputShape.clone();
        for (LayerSpec layer : spec.layers()) {
            LayerType type = LayerTypes.get(layer.type());
            if (type == null) {
                throw SerException.inFile(spec.source(), layer + ": unknown layer type (known: " + LayerTypes.known() + ")");
            }
            String name = layer.stateName();
            if (!taken.add(name)) throw SerException.inFile(spec.source(), layer + ": the name '" + name + "' is used twice");
            LayerType.Built built;
            try {
                built = type.build(layer, shape, context);
            } catch (IllegalArgumentException e) {
                throw SerException.inFile(spec.source(), layer + " on input " + Arrays.toString(shape) + ": " + e.getMessage());
            }
            layer.settings().finish();
            names.add(name);
            modules.add(built.module());
            if (built.module() instanceof StepDropout d) dropouts.add(d);
            shape = built.outputShape();
        }
        if (shape.length != 1 || shape[0] != classes) {
            throw SerException.inFile(spec.source(), "the last layer gives " + Arrays.toString(shape) + " per example, not ["
                    + classes + "] class scores (end with linear: {out: classes})");
        }
        return new Model(names, modules, dropouts, inputShape, classes);
    }
}
