package ser.model;

import ser.SerException;
import ser.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Makes a {@link Model} from a {@link ModelSpec}: each layer in turn, with the shape the previous one produces,
 * so that no size is written twice. The initial weights come from one generator seeded with {@code seed}, drawn
 * layer by layer in file order (branches, fusion, head): the same spec and seed always give the same weights.
 */
public final class ModelBuilder {

    private ModelBuilder() {}

    /**
     * A model of one input.
     *
     * @param inputShape one example without the batch axis, e.g. {@code [1, 128, 151]} for a log-Mel image
     * @param classes    the label-set size ({@code out: classes} in the file)
     */
    public static Model build(ModelSpec spec, int[] inputShape, int classes, long seed) {
        return build(spec, Map.of(ModelSpec.SINGLE_INPUT, inputShape), classes, seed);
    }

    /**
     * @param inputs each named input without the batch axis, {@code -1} for a frames axis that varies per
     *               utterance; the names must be the spec's branches (or the one {@link ModelSpec#SINGLE_INPUT})
     */
    public static Model build(ModelSpec spec, Map<String, int[]> inputs, int classes, long seed) {
        if (!spec.branches().isEmpty() && !inputs.keySet().equals(spec.branches().keySet())) {
            throw SerException.inFile(spec.source(), "has branches " + spec.branches().keySet()
                    + ", but the recipe's features are named " + inputs.keySet() + " (one branch per named feature)");
        }
        if (spec.branches().isEmpty() && inputs.size() != 1) {
            throw SerException.inFile(spec.source(), "reads one input, but the recipe's features are named "
                    + inputs.keySet() + " (give the model one branch per named feature)");
        }
        Builder b = new Builder(spec, new LayerType.Context(classes, new SplittableRandom(seed)));
        Map<String, Chain> branches = new LinkedHashMap<>();
        Fusion fusion = null;
        int[] shape;
        if (spec.branches().isEmpty()) {
            shape = inputs.values().iterator().next();
        } else {
            List<int[]> outputs = new ArrayList<>();
            for (var e : spec.branches().entrySet()) {
                Built chain = b.chain(e.getKey() + ".", e.getValue(), inputs.get(e.getKey()));
                if (chain.shape.length != 1 || chain.shape[0] < 1) {
                    throw SerException.inFile(spec.source(), "branch '" + e.getKey() + "' ends in " + shapeText(chain.shape)
                            + " per example; end each branch with a vector (pool over frames, or flatten)");
                }
                branches.put(e.getKey(), chain.chain);
                outputs.add(chain.shape);
            }
            var fused = b.fusion(List.copyOf(spec.branches().keySet()), outputs);
            fusion = fused.fusion;
            shape = fused.shape;
        }
        Built head = b.chain("", spec.layers(), shape);
        for (String name : head.names) {
            if (branches.containsKey(name) || (fusion != null && name.equals("fusion"))) {
                throw SerException.inFile(spec.source(), "the layer name '" + name + "' is also a branch or the fusion");
            }
        }
        if (head.shape.length != 1 || head.shape[0] != classes) {
            throw SerException.inFile(spec.source(), "the last layer gives " + shapeText(head.shape) + " per example, not ["
                    + classes + "] class scores (end with linear: {out: classes})");
        }
        return new Model(inputs, branches, fusion, head.chain, head.names, b.dropouts, b.mixtures, classes);
    }

    private record Built(Chain chain, List<String> names, int[] shape) {}

    private record Fused(Fusion fusion, int[] shape) {}

    /** The state shared while one model is built: the generator, the dropouts and mixtures found so far. */
    private static final class Builder {
        final ModelSpec spec;
        final LayerType.Context context;
        final List<StepDropout> dropouts = new ArrayList<>();
        final Map<String, LayerWeighting> mixtures = new LinkedHashMap<>();

        Builder(ModelSpec spec, LayerType.Context context) {
            this.spec = spec;
            this.context = context;
        }

        /** The layers of one list on inputs shaped {@code in}; {@code prefix} is where the list's names live. */
        Built chain(String prefix, List<LayerSpec> layers, int[] in) {
            List<String> names = new ArrayList<>();
            List<Module> modules = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            int[] shape = in.clone();
            for (LayerSpec layer : layers) {
                LayerType type = LayerTypes.get(layer.type());
                if (type == null) {
                    throw SerException.inFile(spec.source(), layer + ": unknown layer type (known: " + LayerTypes.known() + ")");
                }
                String name = layer.stateName();
                if (!taken.add(name)) throw SerException.inFile(spec.source(), layer + ": the name '" + name + "' is used twice");
                LayerType.Built built;
                try {
                    built = type.build(layer, shape, context);
                    LayerTypes.checkOutput(built.outputShape());
                } catch (IllegalArgumentException e) {
                    throw SerException.inFile(spec.source(), layer + " on input " + shapeText(shape) + ": " + e.getMessage());
                }
                layer.settings().finish();
                names.add(name);
                modules.add(built.module());
                if (built.module() instanceof StepDropout d) dropouts.add(d);
                if (built.module() instanceof LayerWeighting w) mixtures.put(prefix + name, w);
                shape = built.outputShape();
            }
            return new Built(new Chain(names, modules), names, shape);
        }

        Fused fusion(List<String> names, List<int[]> shapes) {
            LayerSpec f = spec.fusion();
            int[] widths = shapes.stream().mapToInt(s -> s[0]).toArray();
            try {
                Fused fused = switch (f.type()) {
                    case "concat" -> new Fused(new ConcatFusion(), new int[] {Arrays.stream(widths).sum()});
                    case "gated" -> {
                        int dim = f.integer("dim", true, null);
                        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
                        yield new Fused(new GatedFusion(names, widths, dim, context.init()), new int[] {dim});
                    }
                    default -> throw SerException.inFile(spec.source(), f + ": unknown fusion (known: concat, gated)");
                };
                f.settings().finish();
                return fused;
            } catch (IllegalArgumentException e) {
                throw SerException.inFile(spec.source(), f + " of branches " + names + ": " + e.getMessage());
            }
        }
    }

    /** A shape as the documentation writes it, with {@code t} for frames that vary per utterance. */
    static String shapeText(int[] shape) {
        return Arrays.toString(shape).replace("-1", "t");
    }
}
