package ser.autograd;

import ser.autograd.reference.ConvShape;
import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/**
 * Convolution → batch norm → ReLU → 2×2 max pooling as one op: the Mel CNN's block, which holds nearly all of its
 * training time. The values and gradients are those of the four ops apart (tested against them), but the
 * full-size maps between them never become variables: batch norm, pooling and ReLU run fused over the
 * convolution's output ({@link Kernels#batchNormPoolReluTrain}), backward runs as one
 * ({@link Kernels#convBlockBackward}: the gradient at the convolution's output need not leave the cache), and the
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
     * The block over {@code x[n, cin, h, w]} with {@code weight[cout, cin, kh, kw]}, on {@code kernels}; {@code bias} may be null. The
     * convolution's output map and the pooling's argmax come from {@code convOutput}, and go back to it once the
     * op is done with them.
     */
    public static Variable apply(Kernels kernels, Variable x, Variable weight, Variable bias, int stride, int padding,
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
        if (!norm.training() && gradients) return unfused(kernels, x, weight, bias, stride, padding, norm);

        float[] conv = convOutput.take(n * s.outputSize()); // overwritten whole: old contents do not matter
        kernels.conv2dForward(s, x.array(), weight.array(), bias == null ? null : bias.array(), conv);
        float[] y = new float[n * c * (h / 2) * (w / 2)];
        Tensor out = Tensor.wrap(y, n, c, h / 2, w / 2);
        float[] gamma = norm.gamma().array(), beta = norm.beta().array();
        if (!norm.training()) {
            kernels.batchNormPoolReluEval(n, c, h, w, conv, gamma, beta, norm.eps(),
                    Variable.dense(norm.runningMean()).heapArray(), Variable.dense(norm.runningVar()).heapArray(), y);
            convOutput.giveBack(conv);
            return Variable.constant(out);
        }
        float[] mean = new float[c], var = new float[c];
        int[] from = convOutput.takeInts(y.length); // every element written by the pooling
        kernels.batchNormPoolReluTrain(n, c, h, w, conv, gamma, beta, norm.eps(), y, from, mean, var);
        BatchNormOp.updateRunning(norm.runningMean(), norm.runningVar(), mean, var, norm.momentum(), (long) n * h * w);
        if (!gradients) {
            convOutput.giveBack(conv);
            convOutput.giveBack(from);
            return Variable.constant(out);
        }
        return Variable.fromOp(out, g -> {
            float[] dgamma = new float[c], dbeta = new float[c];
            float[] dx = x.requiresGrad() ? new float[x.size()] : null;
            float[] dw = new float[weight.size()], db = bias == null ? null : new float[c];
            kernels.convBlockBackward(s, x.array(), weight.array(), conv, gamma, norm.eps(), mean, var, y, from,
                    g.heapArray(), dx, dw, db, dgamma, dbeta);
            convOutput.giveBack(conv);
            convOutput.giveBack(from);
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, x.shape()),
                Tensor.wrap(dw, weight.shape()),
                db == null ? null : Tensor.wrap(db, c),
                Tensor.wrap(dgamma, c),
                Tensor.wrap(dbeta, c)};
        }, x, weight, bias, norm.gamma(), norm.beta());
    }

    /** The four ops one after another: inference-mode batch norm with gradients (rare) takes this way. */
    static Variable unfused(Kernels kernels, Variable x, Variable weight, Variable bias, int stride, int padding,
                            Norm norm) {
        Variable conv = Conv2dOp.apply(kernels, x, weight, bias, stride, padding);
        Variable normalised = norm.training()
                ? BatchNormOp.train(kernels, conv, norm.gamma(), norm.beta(), norm.runningMean(), norm.runningVar(),
                        norm.momentum(), norm.eps())
                : BatchNormOp.eval(kernels, conv, norm.gamma(), norm.beta(), norm.runningMean(), norm.runningVar(), norm.eps());
        return MaxPool2dOp.apply(kernels, Activations.relu(kernels, normalised), 2, 2);
    }
}
