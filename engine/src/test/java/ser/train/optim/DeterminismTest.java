package ser.train.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.nn.BatchNorm2d;
import ser.nn.Conv2d;
import ser.nn.Dropout;
import ser.nn.Layers;
import ser.nn.Linear;
import ser.nn.Module;
import ser.nn.Sequential;
import ser.tensor.Tensor;

/** Same seed, same data → bit-identical weights after training, dropout and multi-threaded kernels included. */
class DeterminismTest {

    private static Map<String, Tensor> train(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Module model = new Sequential(
                new Conv2d(1, 8, 3, 1, 1, random), new BatchNorm2d(8), Layers.relu(), Layers.maxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1, random), new BatchNorm2d(16), Layers.gelu(), Layers.maxPool2d(2),
                Layers.flatten(), new Dropout(0.3f, random), new Linear(16 * 4 * 5, 3, random));
        Optimizer optimizer = new AdamW(model.parameters(), 1e-3);
        Schedule schedule = Schedule.cosine(1e-3, 4, 1e-5, 1);
        float[] input = new float[6 * 16 * 20];
        for (int i = 0; i < input.length; i++) input[i] = (float) random.nextGaussian();
        Variable x = Variable.constant(Tensor.wrap(input, 6, 1, 16, 20));
        for (int step = 0; step < 4; step++) {
            optimizer.setLearningRate(schedule.at(step));
            optimizer.zeroGrad();
            CrossEntropy.loss(model.ops(), model.forward(x), new int[] {0, 1, 2, 0, 1, 2}, new float[] {1, 2, 1}, 0.1).backward();
            GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
            optimizer.step();
        }
        return model.stateDict();
    }

    @Test
    void sameSeedSameWeights() {
        Map<String, Tensor> a = train(11), b = train(11);
        for (String name : a.keySet()) assertArrayEquals(a.get(name).toArray(), b.get(name).toArray(), name);
    }
}
