package ser.bench;

import ser.hubert.WeightSource;
import ser.tensor.Tensor;

import java.util.Random;

/** Weights for timing only: whatever the model asks for, a tensor of that shape with small random values. */
final class RandomWeights {

    private RandomWeights() {}

    static WeightSource of(long seed) {
        Random random = new Random(seed);
        return (name, shape) -> {
            float[] data = new float[Math.toIntExact(Tensor.count(shape))];
            float scale = (float) (1 / Math.sqrt(shape.length > 1 ? shape[shape.length - 2] : 1));
            for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * scale;
            return Tensor.wrap(data, shape);
        };
    }
}
