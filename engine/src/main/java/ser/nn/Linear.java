package ser.nn;

import java.util.random.RandomGenerator;
import ser.autograd.LinearOp;
import ser.autograd.Variable;

/** {@code y = x·Wᵀ + b} over the last axis; parameters {@code weight[out, in]}, {@code bias[out]}. */
public final class Linear extends Module {

    private final Variable weight, bias;

    public Linear(int in, int out, RandomGenerator random) {
        weight = addParameter("weight", Init.uniformFanIn(random, in, out, in));
        bias = addParameter("bias", Init.uniformFanIn(random, in, out));
    }

    @Override
    public Variable forward(Variable x) {
        return LinearOp.apply(ops(), x, weight, bias);
    }
}
