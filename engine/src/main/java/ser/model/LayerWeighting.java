package ser.model;

import ser.autograd.LayerWeightedSum;
import ser.autograd.Variable;
import ser.nn.Module;
import ser.tensor.Tensor;

/**
 * The {@code layer_weighted_sum} layer: a learned softmax-weighted sum of an encoder's hidden states,
 * {@code [layers, …] → […]}, as SUPERB and EmoBox probe a frozen HuBERT. One logit per layer ({@code weights}),
 * zero at the start: every layer counts equally until training says otherwise.
 */
final class LayerWeighting extends Module {

    private final Variable weights;

    LayerWeighting(int layers) {
        weights = addParameter("weights", Tensor.zeros(layers));
    }

    @Override
    public Variable forward(Variable x) {
        return LayerWeightedSum.apply(ops(), x, weights);
    }

    /** The current mixture, {@code softmax(weights)}: which layers the head listens to. */
    double[] mixture() {
        return LayerWeightedSum.weights(weights);
    }
}
