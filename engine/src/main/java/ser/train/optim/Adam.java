package ser.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.autograd.Variable;
import ser.tensor.Tensor;

/**
 * Adam as PyTorch's {@code torch.optim.Adam} (1.13, single-tensor path): bias-corrected moments, {@code eps}
 * added to the bias-corrected root of the second moment, and weight decay as an L2 term added to the gradient.
 * {@link AdamW} decouples the decay instead.
 */
public class Adam extends Optimizer {

    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final float[][] firstMoment, secondMoment;
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
        firstMoment = new float[this.parameters.size()][];
        secondMoment = new float[this.parameters.size()][];
    }

    @Override
    public void step() {
        steps++;
        double lr = learningRate();
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2Root = Math.sqrt(1 - Math.pow(beta2, steps));
        float stepSize = (float) (lr / correction1);
        float decay = (float) (1 - lr * weightDecay);
        for (int k = 0; k < parameters.size(); k++) {
            Variable p = parameters.get(k);
            if (p.grad() == null) continue;
            float[] w = p.array(), g = p.grad().heapArray();
            if (firstMoment[k] == null) {
                firstMoment[k] = new float[w.length];
                secondMoment[k] = new float[w.length];
            }
            float[] m = firstMoment[k], v = secondMoment[k];
            for (int i = 0; i < w.length; i++) {
                float grad = g[i];
                if (decoupled) w[i] *= decay;
                else if (weightDecay != 0) grad += weightDecay * w[i];
                m[i] = m[i] * beta1 + (1 - beta1) * grad;
                v[i] = v[i] * beta2 + (1 - beta2) * grad * grad;
                float denom = (float) (Math.sqrt(v[i]) / correction2Root) + eps;
                w[i] -= stepSize * m[i] / denom;
            }
        }
    }

    /** {@code steps}, and {@code m.K} / {@code v.K} for each parameter K (by position) that has taken a step. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("steps", Tensor.wrap(new float[] {steps}, 1));
        for (int k = 0; k < firstMoment.length; k++) {
            if (firstMoment[k] == null) continue;
            out.put("m." + k, Tensor.wrap(firstMoment[k].clone(), firstMoment[k].length));
            out.put("v." + k, Tensor.wrap(secondMoment[k].clone(), secondMoment[k].length));
        }
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        steps = (int) OptimizerState.require(state, "steps", 1)[0];
        for (int k = 0; k < firstMoment.length; k++) {
            int n = parameters.get(k).size();
            firstMoment[k] = state.containsKey("m." + k) ? OptimizerState.require(state, "m." + k, n) : null;
            secondMoment[k] = state.containsKey("m." + k) ? OptimizerState.require(state, "v." + k, n) : null;
        }
    }
}
