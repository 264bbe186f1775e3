package ser.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * SGD with momentum as PyTorch's {@code torch.optim.SGD}: L2 weight decay added to the gradient, the momentum
 * buffer starting as a copy of the first gradient, then {@code buf ← momentum·buf + (1 − dampening)·g}, and the
 * step along {@code buf} (or {@code g + momentum·buf} with Nesterov).
 */
public final class Sgd extends Optimizer {

    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final Tensor[] buffers;

    public Sgd(List<Variable> parameters, double learningRate, double momentum) {
        this(parameters, learningRate, momentum, 0, 0, false);
    }

    public Sgd(List<Variable> parameters, double learningRate, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super(parameters, learningRate);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }
        this.momentum = (float) momentum;
        this.dampening = (float) dampening;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        this.buffers = new Tensor[this.parameters.size()];
    }

    @Override
    public void step() {
        float lr = (float) learningRate();
        for (int k = 0; k < parameters.size(); k++) {
            Variable p = parameters.get(k);
            if (p.grad() == null) continue;
            boolean first = buffers[k] == null;
            if (first && momentum != 0) buffers[k] = p.ops().zeros(p.shape());
            p.ops().sgdStep(p.data(), p.grad(), buffers[k],
                    new TrainingOps.SgdStep(lr, momentum, dampening, weightDecay, nesterov, first));
        }
    }

    /** {@code momentum.K} for each parameter K (by position) whose momentum buffer exists. */
    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int k = 0; k < buffers.length; k++) {
            if (buffers[k] != null) out.put("momentum." + k, OptimizerState.hostCopy(parameters.get(k), buffers[k]));
        }
        return out;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        for (int k = 0; k < buffers.length; k++) {
            String key = "momentum." + k;
            Variable p = parameters.get(k);
            buffers[k] = state.containsKey(key) ? OptimizerState.onBackend(p, OptimizerState.require(state, key, p.size())) : null;
        }
    }
}
