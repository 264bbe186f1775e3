package ser.train;

import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al. 2018): each batch is blended with a shuffled copy of itself, {@code x = λ·x + (1 − λ)·x[perm]}
 * with {@code λ ~ Beta(α, α)}, and the loss blends the two targets' losses the same way. A model of several inputs
 * blends each of them with the same λ and partners.
 */
final class Mixup {

    final double lambda;
    final int[] partner;

    private Mixup(double lambda, int[] partner) {
        this.lambda = lambda;
        this.partner = partner;
    }

    /** Draws λ and the partners of {@code n} examples. */
    static Mixup draw(int n, double alpha, SplittableRandom random) {
        double lambda = beta(alpha, random);
        int[] partner = Batches.identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        return new Mixup(lambda, partner);
    }

    /** Blends {@code batch} (the drawn number of examples of {@code size} values each) in place. */
    void blend(float[] batch, int size) {
        float[] original = batch.clone();
        float a = (float) lambda, b = (float) (1 - lambda);
        for (int i = 0; i < partner.length; i++) {
            for (int k = 0, at = i * size, from = partner[i] * size; k < size; k++) {
                batch[at + k] = a * original[at + k] + b * original[from + k];
            }
        }
    }

    /** {@code λ·CE(logits, y) + (1 − λ)·CE(logits, y[perm])}. */
    Variable loss(TrainingOps ops, Variable logits, int[] labels, float[] classWeights, double labelSmoothing) {
        int[] other = new int[labels.length];
        for (int i = 0; i < labels.length; i++) other[i] = labels[partner[i]];
        Variable own = CrossEntropy.loss(ops, logits, labels, classWeights, labelSmoothing);
        Variable mixed = CrossEntropy.loss(ops, logits, other, classWeights, labelSmoothing);
        float l = (float) lambda;
        float value = l * ops.download(own.data()).getFlat(0) + (1 - l) * ops.download(mixed.data()).getFlat(0);
        return Variable.fromOp(ops, ops.upload(Tensor.wrap(new float[] {value})), g -> {
            float upstream = ops.download(g).getFlat(0);
            return new Tensor[] {ops.upload(Tensor.wrap(new float[] {upstream * l})),
                ops.upload(Tensor.wrap(new float[] {upstream * (1 - l)}))};
        }, own, mixed);
    }

    /** Beta(α, α) as X / (X + Y) of two Gamma(α) draws. */
    static double beta(double alpha, SplittableRandom random) {
        double x = gamma(alpha, random), y = gamma(alpha, random);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(α, 1) sampler; α < 1 through Gamma(α + 1)·U^(1/α). */
    static double gamma(double alpha, SplittableRandom random) {
        if (alpha < 1) return gamma(alpha + 1, random) * Math.pow(random.nextDouble(), 1 / alpha);
        double d = alpha - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }
}
