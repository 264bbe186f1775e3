package ser.model;

import ser.autograd.Activations;
import ser.autograd.Shapes;
import ser.autograd.TimePooling;
import ser.autograd.Variable;
import ser.nn.Linear;
import ser.nn.Module;
import ser.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Attentive statistics pooling (Okabe et al. 2018): a small network scores each frame,
 * {@code score = v·tanh(W·x + b) + c}, and the frames' softmax-weighted mean and standard deviation are
 * concatenated: {@code [n, t, d] → [n, 2d]}. Parameters {@code attention.weight/bias} and {@code score.weight/bias}.
 * Padded frames get no attention (the softmax runs over the real frames only).
 */
final class AttentiveStatsPooling extends Module implements FramePooling {

    private final Linear attention, score;

    AttentiveStatsPooling(int features, int hidden, RandomGenerator random) {
        attention = addModule("attention", new Linear(features, hidden, random));
        score = addModule("score", new Linear(hidden, 1, random));
    }

    @Override
    public Variable pool(Variable x, Tensor mask) {
        Variable scores = score.forward(Activations.tanh(ops(), attention.forward(x)));
        return TimePooling.attentiveStats(ops(), x, Shapes.reshape(scores, x.dim(0), x.dim(1)), mask);
    }

    @Override
    public Variable forward(Variable x) {
        return pool(x, null);
    }
}
