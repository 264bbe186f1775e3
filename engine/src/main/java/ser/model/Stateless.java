package ser.model;

import java.util.function.BiFunction;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.nn.Module;

/**
 * A layer without parameters (an activation, a pool, a reshape), known by its kind so that {@link Chain} can
 * recognise the runs of layers it fuses.
 */
final class Stateless extends Module {

    /** The kinds {@link Chain} looks for. */
    static final String RELU = "relu", MAX_POOL_2X2 = "max_pool 2x2";

    private final String kind;
    private final BiFunction<TrainingOps, Variable, Variable> f;

    /** {@code f} maps the module's backend and its input to its output. */
    Stateless(String kind, BiFunction<TrainingOps, Variable, Variable> f) {
        this.kind = kind;
        this.f = f;
    }

    boolean is(String kind) {
        return this.kind.equals(kind);
    }

    @Override
    public Variable forward(Variable x) {
        return f.apply(ops(), x);
    }
}
