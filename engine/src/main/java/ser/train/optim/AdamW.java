package ser.train.optim;

import java.util.List;
import ser.autograd.Variable;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW}: Adam whose weight decay shrinks the weights directly,
 * {@code w ← w·(1 − lr·decay)}, instead of entering the moments. PyTorch's default decay is 0.01.
 */
public final class AdamW extends Adam {

    public AdamW(List<Variable> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 1e-2);
    }

    public AdamW(List<Variable> parameters, double learningRate, double beta1, double beta2, double eps,
                 double weightDecay) {
        super(parameters, learningRate, beta1, beta2, eps, weightDecay, true);
    }
}
