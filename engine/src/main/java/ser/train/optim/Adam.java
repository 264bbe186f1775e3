package ser.train.optim;

import java.util.List;
import ser.autograd.Variable;

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
}
