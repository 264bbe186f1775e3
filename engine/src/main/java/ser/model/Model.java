package ser.model;

import ser.autograd.Variable;
import ser.nn.Module;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network built from a {@link ModelSpec}. A model of one input registers its layers at the top under their
 * state-dict names, so that the seed's {@code conv1.weight} or {@code net.0.bias} is found where PyTorch put it. A
 * model of several inputs registers each branch under its input's name ({@code mel.0.conv.weight}), the fusion
 * under {@code fusion}, and the head's layers at the top.
 */
public final class Model extends Module {

    private final Map<String, int[]> inputShapes;
    private final Map<String, Chain> branches;
    private final Fusion fusion;
    private final Chain head;
    private final List<StepDropout> dropouts;
    private final Map<String, LayerWeighting> mixtures;
    private final int classes;

    /**
     * @param headNames the state-dict name of each head layer
     * @param mixtures  every layer_weighted_sum by its state-dict name, for reports
     */
    Model(Map<String, int[]> inputShapes, Map<String, Chain> branches, Fusion fusion, Chain head, List<String> headNames,
          List<StepDropout> dropouts, Map<String, LayerWeighting> mixtures, int classes) {
        this.inputShapes = new LinkedHashMap<>();
        inputShapes.forEach((k, v) -> this.inputShapes.put(k, v.clone()));
        this.branches = new LinkedHashMap<>(branches);
        this.fusion = fusion;
        this.head = head;
        this.dropouts = List.copyOf(dropouts);
        this.mixtures = new LinkedHashMap<>(mixtures);
        this.classes = classes;
        branches.forEach(this::addModule);
        if (fusion != null) addModule("fusion", fusion);
        for (int i = 0; i < headNames.size(); i++) addModule(headNames.get(i), head.layers().get(i));
    }

    /** Named inputs → logits {@code [n, classes]}. */
    public Variable forward(Map<String, InputBatch> inputs) {
        if (!inputs.keySet().equals(inputShapes.keySet())) {
            throw new IllegalArgumentException("model wants inputs " + inputShapes.keySet() + ", got " + inputs.keySet());
        }
        if (fusion == null) {
            var e = inputs.entrySet().iterator().next();
            return head.forward(input(e.getKey(), e.getValue()), e.getValue().mask());
        }
        List<Variable> parts = new ArrayList<>();
        branches.forEach((name, branch) -> parts.add(branch.forward(input(name, inputs.get(name)), inputs.get(name).mask())));
        return head.forward(fusion.fuse(parts), null);
    }

    /** {@code [n, …inputShape]} → logits {@code [n, classes]}, for a model of one fixed-size input. */
    @Override
    public Variable forward(Variable x) {
        String name = singleInput();
        if (InputBatch.framesAxis(inputShapes.get(name)) >= 0) {
            throw new IllegalArgumentException("this model's input varies in length: give frames with forward(Map)");
        }
        check(name, x.shape());
        return head.forward(x, null);
    }

    /** Each input without the batch axis, e.g. {@code mel → [1, 128, 151]}; {@code -1} marks frames that vary. */
    public Map<String, int[]> inputShapes() {
        Map<String, int[]> out = new LinkedHashMap<>();
        inputShapes.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    /** The one input of a model without branches, e.g. {@code [1, 128, 151]}. */
    public int[] inputShape() {
        return inputShapes.get(singleInput()).clone();
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

    /**
     * What each {@code layer_weighted_sum} currently makes of the encoder's layers, by its state-dict name: the
     * softmax of its logits, one weight per layer.
     */
    public Map<String, double[]> layerMixtures() {
        Map<String, double[]> out = new LinkedHashMap<>();
        mixtures.forEach((name, w) -> out.put(name, w.mixture()));
        return out;
    }

    private String singleInput() {
        if (fusion != null) throw new IllegalStateException("a model of inputs " + inputShapes.keySet() + " needs them all, by name");
        return inputShapes.keySet().iterator().next();
    }

    private Variable input(String name, InputBatch batch) {
        check(name, batch.values().shape());
        return Variable.constant(ops(), ops().upload(batch.values()));
    }

    private void check(String name, int[] batchShape) {
        int[] want = inputShapes.get(name);
        boolean ok = batchShape.length == want.length + 1;
        for (int a = 0; ok && a < want.length; a++) ok = want[a] == -1 ? batchShape[a + 1] > 0 : want[a] == batchShape[a + 1];
        if (!ok) {
            throw new IllegalArgumentException("model input '" + name + "' wants [n, " + Arrays.toString(want)
                    .replaceAll("[\\[\\]]", "").replace("-1", "frames") + "], got " + Arrays.toString(batchShape));
        }
    }
}
