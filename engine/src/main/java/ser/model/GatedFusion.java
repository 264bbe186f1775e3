package ser.model;

import ser.autograd.Activations;
import ser.autograd.GatedMix;
import ser.autograd.Shapes;
import ser.autograd.Variable;
import ser.nn.Linear;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code fusion: {gated: {dim: D}}}, a gated multimodal unit (Arevalo et al. 2017) over two branches {@code a} and
 * {@code b}: each is projected to {@code D} values, {@code h = tanh(W·x + c)}, and a gate computed from both,
 * {@code z = σ(W_z·[a; b] + c_z)}, mixes them feature by feature: {@code y = z·h_a + (1 − z)·h_b}. The gate lets the
 * head lean on the prosodic (Mel) or the phonetic (HuBERT) evidence per feature and per utterance, where
 * concatenation can only weigh them the same way for every utterance. Parameters {@code <branch>.weight/bias} for
 * each projection and {@code gate.weight/bias}.
 */
final class GatedFusion extends Fusion {

    static final String GATE = "gate";

    private final Linear first, second, gate;

    GatedFusion(List<String> branches, int[] widths, int dim, RandomGenerator random) {
        if (branches.size() != 2) throw new IllegalArgumentException("gated fusion mixes exactly two branches, got " + branches);
        if (branches.contains(GATE)) throw new IllegalArgumentException("a branch called '" + GATE + "' clashes with the gate's name");
        first = addModule(branches.get(0), new Linear(widths[0], dim, random));
        second = addModule(branches.get(1), new Linear(widths[1], dim, random));
        gate = addModule(GATE, new Linear(widths[0] + widths[1], dim, random));
    }

    @Override
    Variable fuse(List<Variable> parts) {
        Variable a = parts.get(0), b = parts.get(1);
        Variable z = gate.forward(Shapes.concat(ops(), 1, a, b));
        return GatedMix.apply(ops(), z, Activations.tanh(ops(), first.forward(a)), Activations.tanh(ops(), second.forward(b)));
    }
}
