package ser.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (1.13, single-tensor path): bias-corrected moments, {@code eps}
 * added to the bias-corrected root of the second moment, and weight decay as an L2 term added to the gradient.
 * {@link AdamW} decouples the decay instead.
 */
public class Adam extends Optimizer {

    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    /** Per parameter, on its backend; null until its first step. */
    private final Tensor[] firstMoment, secondMoment;
    private int steps;

    public Adam(List<Variable> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Variable> parameters, double learningRate, double beta1, double beta2, double eps,
                double weightDecay) {
        this(parameters, learningRate, beta1, beta2, eps, weightDecay, false);
    }

    Adam(List<Variable> parameters, double learningRate, double beta1, double beta2, double eps, double weightDecay,
         boolean decoupled) {
        super(parameters, learningRate);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.decoupled = decoupled;
        firstMoment = new Tensor[this.parameters.size()];
        secondMoment = new Tensor[this.parameters.size()];
    }

    @Override
    public void step() {
        steps++;
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2Root = Math.sqrt(1 - Math.pow(beta2, steps));
        var step = new TrainingOps.AdamStep(beta1, beta2, eps, weightDecay, decoupled, (float) (lr / correction1),
                (float) (1 - lr * weightDecay), correction2Root);
        for (int k = 0; k < parameters.size(); k++) {
            Variable p = parameters.get(k);
            if (p.grad() == null) continue;
            if (firstMoment[k] == null) {
                firstMoment[k] = p.ops().zeros(p.shape());
                secondMoment[k] = p.ops().zeros(p.shape());
            }
            p.ops().adamStep(p.data(), p.grad(), firstMoment[k], secondMoment[k], step);
        }
    }

    /** {@code steps}, and {@code m.K} / {@code v.K} for each parameter K (by position) that has taken a step. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("steps", Tensor.wrap(new float[] {steps}, 1));
        for (int k = 0; k < firstMoment.length; k++) {
            if (firstMoment[k] == null) continue;
            out.put("m." + k, OptimizerState.hostCopy(parameters.get(k), firstMoment[k]));
            out.put("v." + k, OptimizerState.hostCopy(parameters.get(k), secondMoment[k]));
        }
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        steps = (int) OptimizerState.require(state, "steps", 1)[0];
        for (int k = 0; k < firstMoment.length; k++) {
            Variable p = parameters.get(k);
            boolean stepped = state.containsKey("m." + k);
            firstMoment[k] = stepped ? OptimizerState.onBackend(p, OptimizerState.require(state, "m." + k, p.size())) : null;
            secondMoment[k] = stepped ? OptimizerState.onBackend(p, OptimizerState.require(state, "v." + k, p.size())) : null;
        }
    }
}
