package ser.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.autograd.Activations;
import ser.autograd.CrossEntropy;
import ser.autograd.MaxPool2dOp;
import ser.autograd.Shapes;
import ser.autograd.Variable;
import ser.nn.BatchNorm2d;
import ser.nn.Conv2d;
import ser.nn.Linear;
import ser.nn.Module;
import ser.testing.Close;
import ser.testing.Random;

/** A chain fuses the seed's conv → batch norm → ReLU → pool runs, and computes what the layers apart compute. */
class ChainTest {

    @Test
    void fusedBlocksComputeWhatTheLayersApartCompute() {
        for (boolean poolFirst : new boolean[] {false, true}) {
            Chain fused = chain(poolFirst, 2), apart = chain(poolFirst, 2);
            apart.loadStateDict(fused.stateDict());
            assertEquals(2, fused.fusedBlocks());
            Variable x = Variable.constant(ModelBuilderTest.random(new SplittableRandom(3), 3, 1, 12, 10));

            Variable viaChain = fused.forward(x), viaLayers = x;
            for (Module layer : apart.layers()) viaLayers = layer.forward(viaLayers);
            assertArrayEquals(viaLayers.array(), viaChain.array());
            CrossEntropy.loss(fused.ops(), viaChain, new int[] {0, 1, 1}, null, 0).backward();
            CrossEntropy.loss(apart.ops(), viaLayers, new int[] {0, 1, 1}, null, 0).backward();
            var expected = apart.namedParameters();
            // Against the largest gradient of the layer: a bias before batch norm has a gradient of zero but for rounding.
            fused.namedParameters().forEach((name, p) -> {
                float[] want = expected.get(name).grad().toArray();
                double scale = maxAbs(expected.get(name.replace("bias", "weight")).grad().toArray());
                Close.assertClose(name, Random.toDouble(want), Random.toDouble(p.grad().toArray()), 1e-4, scale);
            });
            assertArrayEquals(apart.stateDict().get("bn1.running_var").toArray(), fused.stateDict().get("bn1.running_var").toArray());
        }
    }

    @Test
    void otherPoolsAndOrdersAreNotFused() {
        assertEquals(0, chain(false, 3).fusedBlocks());
        SplittableRandom r = new SplittableRandom(1);
        Chain reluFirst = new Chain(List.of("relu", "conv", "bn", "pool"), List.of(relu(), new Conv2d(1, 2, 3, 1, 1, r),
                new BatchNorm2d(2), pool(2)));
        assertEquals(0, reluFirst.fusedBlocks());
    }

    /** conv1 → bn1 → ReLU/pool → conv2 → bn2 → ReLU/pool → flatten → linear, on 1 × 12 × 10 inputs. */
    private static Chain chain(boolean poolFirst, int pool) {
        SplittableRandom r = new SplittableRandom(5);
        int h = 12 / pool / pool, w = 10 / pool / pool;
        List<Module> layers = List.of(new Conv2d(1, 3, 3, 1, 1, r), new BatchNorm2d(3),
                poolFirst ? pool(pool) : relu(), poolFirst ? relu() : pool(pool),
                new Conv2d(3, 4, 3, 1, 1, r), new BatchNorm2d(4),
                poolFirst ? pool(pool) : relu(), poolFirst ? relu() : pool(pool),
                new Stateless("flatten", (kernels, x) -> Shapes.flatten(x)), new Linear(4 * h * w, 2, r));
        return new Chain(List.of("conv1", "bn1", "a1", "b1", "conv2", "bn2", "a2", "b2", "flatten", "fc"), layers);
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    private static Stateless relu() {
        return new Stateless(Stateless.RELU, Activations::relu);
    }

    private static Stateless pool(int size) {
        return new Stateless(size == 2 ? Stateless.MAX_POOL_2X2 : "max_pool", (kernels, x) -> MaxPool2dOp.apply(kernels, x, size, size));
    }
}
