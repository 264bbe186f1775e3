package ser.train.optim;

import java.util.List;
import ser.autograd.Variable;

/** {@code torch.nn.utils.clip_grad_norm_}: rescales all gradients together so their global L2 norm is at most a bound. */
public final class GradientClipping {

    private GradientClipping() {}

    /** Returns the global norm before clipping; scales by {@code maxNorm/(norm + 1e-6)} when that is below 1. */
    public static double clipGlobalNorm(List<Variable> parameters, double maxNorm) {
        double squares = 0;
        for (Variable p : parameters) {
            if (p.grad() == null) continue;
            squares += p.ops().sumOfSquares(p.grad());
        }
        double norm = Math.sqrt(squares);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1) {
            for (Variable p : parameters) p.scaleGrad((float) coefficient);
        }
        return norm;
    }
}
