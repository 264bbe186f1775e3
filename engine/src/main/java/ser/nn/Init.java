package ser.nn;

import java.util.random.RandomGenerator;
import ser.tensor.Tensor;

/**
 * PyTorch's default initialisation of convolution and linear layers, from a seeded generator (the values differ
 * from PyTorch's, the distributions do not): {@code kaiming_uniform_(a=√5)} for weights, which works out to
 * {@code U(−1/√fanIn, 1/√fanIn)}, and the same bound for biases.
 */
final class Init {

    private Init() {}

    static Tensor uniformFanIn(RandomGenerator random, int fanIn, int... shape) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] values = new float[Math.toIntExact(Tensor.count(shape))];
        for (int i = 0; i < values.length; i++) values[i] = (float) random.nextDouble(-bound, bound);
        return Tensor.wrap(values, shape);
    }

    static Tensor filled(float value, int... shape) {
        float[] values = new float[Math.toIntExact(Tensor.count(shape))];
        java.util.Arrays.fill(values, value);
        return Tensor.wrap(values, shape);
    }
}
