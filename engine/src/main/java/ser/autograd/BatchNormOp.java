package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * Batch norm over axis 1 of {@code x[n, c, …]} (1-d: {@code [n, c]} or {@code [n, c, l]}; 2-d: {@code [n, c, h, w]}),
 * with PyTorch's semantics for the running statistics.
 */
public final class BatchNormOp {

    private BatchNormOp() {}

    /**
     * Normalises with the batch mean and biased variance, and moves the running statistics (updated in place, on
     * {@code ops}'s backend) towards the batch's: {@code running = (1 − momentum)·running + momentum·batch}, with the
     * unbiased variance.
     */
    public static Variable train(TrainingOps ops, Variable x, Variable gamma, Variable beta, Tensor runningMean,
                                 Tensor runningVar, float momentum, float eps) {
        int n = x.dim(0), c = checkChannels(x, gamma), spatial = x.size() / (n * c);
        long count = (long) n * spatial;
        if (count < 2) throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got " + x);
        Tensor y = ops.zeros(x.shape()), mean = ops.zeros(c), var = ops.zeros(c);
        ops.batchNormTrain(n, c, spatial, x.data(), gamma.data(), beta.data(), eps, y, mean, var);
        ops.updateRunningStats(runningMean, runningVar, mean, var, momentum, count);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape()), dgamma = ops.zeros(c), dbeta = ops.zeros(c);
            ops.batchNormBackward(n, c, spatial, x.data(), gamma.data(), eps, mean, var, g, dx, dgamma, dbeta);
            return new Tensor[] {dx, dgamma, dbeta};
        }, x, gamma, beta);
    }

    /** Normalises with the fixed running statistics (an affine map per channel). */
    public static Variable eval(TrainingOps ops, Variable x, Variable gamma, Variable beta, Tensor runningMean,
                                Tensor runningVar, float eps) {
        int n = x.dim(0), c = checkChannels(x, gamma), spatial = x.size() / (n * c);
        Tensor y = ops.zeros(x.shape());
        ops.batchNormEval(n, c, spatial, x.data(), gamma.data(), beta.data(), eps, runningMean, runningVar, y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = ops.zeros(x.shape()), dgamma = ops.zeros(c), dbeta = ops.zeros(c);
            ops.batchNormEvalBackward(n, c, spatial, x.data(), gamma.data(), eps, runningMean, runningVar, g, dx,
                    dgamma, dbeta);
            return new Tensor[] {dx, dgamma, dbeta};
        }, x, gamma, beta);
    }

    private static int checkChannels(Variable x, Variable gamma) {
        if (x.shape().length < 2 || x.dim(1) != gamma.size()) {
            throw new IllegalArgumentException("batch norm over " + gamma.size() + " channels given " + x);
        }
        return x.dim(1);
    }
}
