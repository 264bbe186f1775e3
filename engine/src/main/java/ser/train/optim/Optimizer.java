package ser.train.optim;

import java.util.List;
import java.util.Map;
import ser.autograd.Variable;
import ser.tensor.Tensor;

/**
 * Updates parameters in place from their gradients. Parameters without a gradient (unused in the last backward
 * pass) are left alone, as in PyTorch. All arithmetic is float, element by element, in a fixed order, so the
 * same gradients always give bit-identical parameters.
 */
public abstract class Optimizer {

    protected final List<Variable> parameters;
    private double learningRate;

    protected Optimizer(List<Variable> parameters, double learningRate) {
        if (learningRate < 0) throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
        this.parameters = List.copyOf(parameters);
        this.learningRate = learningRate;
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /**
     * Everything besides the parameters that the next {@link #step} depends on (moments, step count), as named
     * tensors for a checkpoint; the learning rate is the schedule's business and not included. The tensors are
     * copies.
     */
    public abstract Map<String, Tensor> state();

    /** Restores what {@link #state} returned, so that training resumes bit for bit. */
    public abstract void loadState(Map<String, Tensor> state);

    public final void zeroGrad() {
        for (Variable p : parameters) p.zeroGrad();
    }

    public final double learningRate() {
        return learningRate;
    }

    /** Sets the rate for the next {@link #step} (schedules call this before each step). */
    public final void setLearningRate(double learningRate) {
        this.learningRate = learningRate;
    }
}
