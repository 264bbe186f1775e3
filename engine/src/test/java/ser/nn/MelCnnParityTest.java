package ser.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.Fixtures;
import ser.testing.JsonFixture;
import ser.testing.NpyFixture;
import ser.testing.Random;
import ser.train.optim.Adam;

/**
 * The Mel CNN against PyTorch 1.13 (fixtures from {@code tools/reference/make_melcnn_fixtures.py}): the same
 * initial weights and batch must give the same loss, every parameter gradient, the running statistics, and the
 * loss curve of 10 Adam steps. Dropout is off (p = 0 here and in the oracle), batch norm in training mode.
 *
 * <p>The oracle's batch is chosen so that no max-pool window is within {@code pooling_margin} (about 6e-6 in
 * batch-norm units) of a tie or of 0: closer than that, float rounding alone may route a gradient to another
 * pixel, and gradients would then legitimately differ by percents. The rounding of a float32 forward pass,
 * PyTorch's or ours, stays below that margin.
 */
class MelCnnParityTest {

    private final JsonFixture meta = new JsonFixture(Fixtures.path("melcnn/meta.json"));
    private final Variable input = Variable.constant(NpyFixture.read(Fixtures.path("melcnn/input.npy")));
    private final int[] targets = java.util.Arrays.stream(meta.numbers("targets")).mapToInt(d -> (int) d).toArray();

    private MelCnn pytorchInitialised() {
        MelCnn model = new MelCnn(4, 0f, new SplittableRandom(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String name : model.stateDict().keySet()) {
            state.put(name, name.endsWith("num_batches_tracked") ? Tensor.zeros()
                    : NpyFixture.read(Fixtures.path("melcnn/state/" + name + ".npy")));
        }
        model.loadStateDict(state);
        return model;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    private Variable loss(MelCnn model) {
        return CrossEntropy.loss(model.ops(), model.forward(input), targets, null, 0);
    }

    @Test
    void lossGradientsAndRunningStatisticsMatchPyTorch() {
        MelCnn model = pytorchInitialised();
        Variable loss = loss(model);
        assertEquals(meta.number("loss"), loss.array()[0], 1e-4 * Math.max(1, meta.number("loss")));
        loss.backward();
        Map<String, Variable> parameters = model.namedParameters();
        for (var p : parameters.entrySet()) {
            float[] actual = p.getValue().grad().heapArray();
            if (p.getKey().matches("conv\\d\\.bias")) {
                // A bias right before a training-mode batch norm is subtracted out again with the batch mean:
                // its true gradient is 0, and both sides hold only rounding noise, compared with the weights'.
                float[] weightGrad = parameters.get(p.getKey().replace("bias", "weight")).grad().heapArray();
                Close.assertClose("gradient of " + p.getKey(), new double[actual.length], Random.toDouble(actual),
                        1e-5, maxAbs(weightGrad));
                continue;
            }
            float[] expected = NpyFixture.read(Fixtures.path("melcnn/grad/" + p.getKey() + ".npy")).heapArray();
            Close.assertClose("gradient of " + p.getKey(), expected, actual, 1e-4);
        }
        for (var s : model.stateDict().entrySet()) {
            if (!s.getKey().contains("running")) continue;
            float[] expected = NpyFixture.read(Fixtures.path("melcnn/running/" + s.getKey() + ".npy")).heapArray();
            Close.assertClose(s.getKey(), expected, s.getValue().heapArray(), 1e-5);
        }
        assertEquals(1f, model.stateDict().get("bn1.num_batches_tracked").getFlat(0));
    }

    @Test
    void tenAdamStepsFollowPyTorchsLossCurve() {
        MelCnn model = pytorchInitialised();
        Adam adam = new Adam(model.parameters(), meta.number("adam_lr"));
        double[] expected = meta.numbers("losses_after_adam_steps");
        // As in the oracle: each iteration's training-mode forward pass gives the loss after the previous step.
        for (int step = 0; step <= expected.length; step++) {
            adam.zeroGrad();
            Variable loss = loss(model);
            if (step > 0) {
                double want = expected[step - 1];
                assertEquals(want, loss.array()[0], 1e-3 * want + 1e-6, "loss after Adam step " + step);
            }
            loss.backward();
            adam.step();
        }
    }
}
