package ser.autograd;

import ser.autograd.reference.ConvShape;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * Convolution → batch norm → ReLU → 2×2 max pooling as one op: the Mel CNN's block, which holds nearly all of its
 * training time. The values and gradients are those of the four ops apart (tested against them), but the
 * full-size maps between them never become variables: batch norm, pooling and ReLU run fused over the
 * convolution's output ({@link TrainingOps#batchNormPoolReluTrain}), backward runs as one
 * ({@link TrainingOps#convBlockBackward}: the gradient at the convolution's output need not leave the cache), and the
 * output map itself is kept from step to step ({@link ReusableBuffer}). At batch 128 the first block's map is 316 MB, so
 * this saves several passes over memory per step.
 *
 * <p>Pooling comes before the ReLU here, which gives the same values and gradients as after it (ReLU is monotone).
 */
public final class ConvBlockOp {

    /** Batch norm's parameters and running statistics; {@code training} chooses the batch's statistics. */
    public record Norm(Variable gamma, Variable beta, Tensor runningMean, Tensor runningVar, float momentum, float eps,
                       boolean training) {}

    private ConvBlockOp() {}

    /**
     * The block over {@code x[n, cin, h, w]} with {@code weight[cout, cin, kh, kw]}, on {@code ops}; {@code bias} may be null. The
     * convolution's output map and the pooling's argmax come from {@code convOutput}, and go back to it once the
     * op is done with them.
     */
    public static Variable apply(TrainingOps ops, Variable x, Variable weight, Variable bias, int stride, int padding,
                                 Norm norm, ReusableBuffer convOutput) {
        if (x.shape().length != 4 || weight.shape().length != 4 || x.dim(1) != weight.dim(1)) {
            throw new IllegalArgumentException("conv block: input " + x + " does not match weight " + weight);
        }
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), weight.dim(0), weight.dim(2),
                weight.dim(3), stride, padding);
        int n = s.n(), c = s.cout(), h = s.outH(), w = s.outW();
        if (h < 2 || w < 2 || norm.gamma().size() != c) {
            throw new IllegalArgumentException("conv block: a 2x2 pool over " + c + " channels of " + h + "x" + w
                    + " with batch norm over " + norm.gamma().size());
        }
        if (norm.training() && (long) n * h * w < 2) {
            throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got " + n + "x" + h + "x" + w);
        }
        boolean gradients = GradMode.isEnabled() && (x.requiresGrad() || weight.requiresGrad()
                || (bias != null && bias.requiresGrad()) || norm.gamma().requiresGrad() || norm.beta().requiresGrad());
        if (!norm.training() && gradients) return unfused(ops, x, weight, bias, stride, padding, norm);

        Tensor conv = convOutput.take(ops, n, c, h, w); // overwritten whole: old contents do not matter
        ops.conv2dForward(s, x.data(), weight.data(), bias == null ? null : bias.data(), conv);
        Tensor y = ops.zeros(n, c, h / 2, w / 2);
        Tensor gamma = norm.gamma().data(), beta = norm.beta().data();
        if (!norm.training()) {
            ops.batchNormPoolReluEval(n, c, h, w, conv, gamma, beta, norm.eps(), norm.runningMean(), norm.runningVar(), y);
            convOutput.giveBack(ops, conv);
            return Variable.constant(ops, y);
        }
        Tensor mean = ops.zeros(c), var = ops.zeros(c);
        TrainingOps.Indices from = convOutput.takeIndices(ops, Math.toIntExact(y.size())); // every one written by the pooling
        ops.batchNormPoolReluTrain(n, c, h, w, conv, gamma, beta, norm.eps(), y, from, mean, var);
        ops.updateRunningStats(norm.runningMean(), norm.runningVar(), mean, var, norm.momentum(), (long) n * h * w);
        if (!gradients) {
            convOutput.giveBack(ops, conv);
            convOutput.giveBack(ops, from);
            return Variable.constant(ops, y);
        }
        return Variable.fromOp(ops, y, g -> {
            Tensor dgamma = ops.zeros(c), dbeta = ops.zeros(c);
            Tensor dx = x.requiresGrad() ? ops.zeros(x.shape()) : null;
            Tensor dw = ops.zeros(weight.shape()), db = bias == null ? null : ops.zeros(c);
            ops.convBlockBackward(s, x.data(), weight.data(), conv, gamma, norm.eps(), mean, var, y, from, g, dx, dw,
                    db, dgamma, dbeta);
            convOutput.giveBack(ops, conv);
            convOutput.giveBack(ops, from);
            return new Tensor[] {dx, dw, db, dgamma, dbeta};
        }, x, weight, bias, norm.gamma(), norm.beta());
    }

    /** The four ops one after another: inference-mode batch norm with gradients (rare) takes this way. */
    static Variable unfused(TrainingOps ops, Variable x, Variable weight, Variable bias, int stride, int padding,
                            Norm norm) {
        Variable conv = Conv2dOp.apply(ops, x, weight, bias, stride, padding);
        Variable normalised = norm.training()
                ? BatchNormOp.train(ops, conv, norm.gamma(), norm.beta(), norm.runningMean(), norm.runningVar(),
                        norm.momentum(), norm.eps())
                : BatchNormOp.eval(ops, conv, norm.gamma(), norm.beta(), norm.runningMean(), norm.runningVar(), norm.eps());
        return MaxPool2dOp.apply(ops, Activations.relu(ops, normalised), 2, 2);
    }
}
