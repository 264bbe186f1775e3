package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/**
 * Batch norm over axis 1 of {@code x[n, c, …]} (1-d: {@code [n, c]} or {@code [n, c, l]}; 2-d: {@code [n, c, h, w]}),
 * with PyTorch's semantics for the running statistics.
 */
public final class BatchNormOp {

    private BatchNormOp() {}

    /**
     * Normalises with the batch mean and biased variance, and moves the running statistics (updated in place)
     * towards the batch's: {@code running = (1 − momentum)·running + momentum·batch}, with the unbiased variance.
     */
    public static Variable train(Kernels kernels, Variable x, Variable gamma, Variable beta, Tensor runningMean, Tensor runningVar,
                                 float momentum, float eps) {
        int n = x.dim(0), c = checkChannels(x, gamma), spatial = x.size() / (n * c);
        long count = (long) n * spatial;
        if (count < 2) throw new IllegalArgumentException("batch norm in training needs more than one value per channel, got " + x);
        float[] y = new float[x.size()], mean = new float[c], var = new float[c];
        kernels.batchNormTrain(n, c, spatial, x.array(), gamma.array(), beta.array(), eps, y, mean, var);
        updateRunning(runningMean, runningVar, mean, var, momentum, count);
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] dx = new float[x.size()], dgamma = new float[c], dbeta = new float[c];
            kernels.batchNormBackward(n, c, spatial, x.array(), gamma.array(), eps, mean, var,
                    g.heapArray(), dx, dgamma, dbeta);
            return new Tensor[] {Tensor.wrap(dx, x.shape()), Tensor.wrap(dgamma, c), Tensor.wrap(dbeta, c)};
        }, x, gamma, beta);
    }

    /**
     * {@code running = (1 − momentum)·running + momentum·batch} for the batch's {@code mean} and biased {@code var}
     * over {@code count} values per channel (the variance is made unbiased first, as PyTorch does).
     */
    static void updateRunning(Tensor runningMean, Tensor runningVar, float[] mean, float[] var, float momentum,
                              long count) {
        float[] rm = Variable.dense(runningMean).heapArray(), rv = Variable.dense(runningVar).heapArray();
        for (int ch = 0; ch < mean.length; ch++) {
            runningMean.setFlat(ch, (1 - momentum) * rm[ch] + momentum * mean[ch]);
            runningVar.setFlat(ch, (1 - momentum) * rv[ch] + momentum * var[ch] * count / (count - 1));
        }
    }

    /** Normalises with the fixed running statistics (an affine map per channel). */
    public static Variable eval(Kernels kernels, Variable x, Variable gamma, Variable beta, Tensor runningMean, Tensor runningVar,
                                float eps) {
        int n = x.dim(0), c = checkChannels(x, gamma), spatial = x.size() / (n * c);
        float[] mean = Variable.dense(runningMean).heapArray(), var = Variable.dense(runningVar).heapArray();
        float[] y = new float[x.size()];
        kernels.batchNormEval(n, c, spatial, x.array(), gamma.array(), beta.array(), eps, mean, var, y);
        return Variable.fromOp(Tensor.wrap(y, x.shape()), g -> {
            float[] xs = x.array(), dy = g.heapArray(), gm = gamma.array();
            float[] dx = new float[x.size()], dgamma = new float[c], dbeta = new float[c];
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    float inv = (float) (1 / Math.sqrt((double) var[ch] + eps));
                    for (int p = 0, at = (i * c + ch) * spatial; p < spatial; p++, at++) {
                        dx[at] = dy[at] * gm[ch] * inv;
                        dgamma[ch] += dy[at] * (xs[at] - mean[ch]) * inv;
                        dbeta[ch] += dy[at];
                    }
                }
            }
            return new Tensor[] {Tensor.wrap(dx, x.shape()), Tensor.wrap(dgamma, c), Tensor.wrap(dbeta, c)};
        }, x, gamma, beta);
    }

    private static int checkChannels(Variable x, Variable gamma) {
        if (x.shape().length < 2 || x.dim(1) != gamma.size()) {
            throw new IllegalArgumentException("batch norm over " + gamma.size() + " channels given " + x);
        }
        return x.dim(1);
    }
}
