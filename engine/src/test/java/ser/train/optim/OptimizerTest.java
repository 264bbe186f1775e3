package ser.train.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import ser.autograd.Variable;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.Fixtures;
import ser.testing.JsonFixture;
import ser.testing.Random;

/** Optimisers against PyTorch 1.13 on fixed gradients ({@code fixtures/optimizers.json}). */
class OptimizerTest {

    private final JsonFixture fixture = new JsonFixture(Fixtures.path("optimizers.json"));

    private void follows(String name, Function<List<Variable>, Optimizer> make) {
        double[] start = fixture.numbers("start"), grads = fixture.numbers("grads"), expected = fixture.numbers(name);
        int n = start.length;
        Variable p = Variable.parameter(Tensor.wrap(Random.toFloat(start), n));
        Optimizer optimizer = make.apply(List.of(p));
        for (int step = 0; step < grads.length / n; step++) {
            optimizer.zeroGrad();
            float[] g = Random.toFloat(java.util.Arrays.copyOfRange(grads, step * n, (step + 1) * n));
            p.backward(Tensor.wrap(g, n));
            optimizer.step();
            Close.assertClose(name + " step " + (step + 1), java.util.Arrays.copyOfRange(expected, step * n, (step + 1) * n),
                    p.array(), 1e-6);
        }
    }

    @Test
    void adamWithL2WeightDecay() {
        follows("adam", ps -> new Adam(ps, 0.1, 0.9, 0.999, 1e-8, 0.01));
    }

    @Test
    void adamWWithDecoupledDecay() {
        follows("adamw", ps -> new AdamW(ps, 0.1, 0.9, 0.999, 1e-8, 0.1));
    }

    @Test
    void sgdWithMomentumDampeningAndDecay() {
        follows("sgd", ps -> new Sgd(ps, 0.1, 0.9, 0.1, 0.01, false));
    }

    @Test
    void sgdNesterov() {
        follows("sgd_nesterov", ps -> new Sgd(ps, 0.1, 0.9, 0, 0, true));
    }

    @Test
    void parametersWithoutGradientsAreLeftAlone() {
        Variable p = Variable.parameter(Tensor.wrap(new float[] {1, 2}, 2));
        new Adam(List.of(p), 0.1).step();
        assertNull(p.grad());
        assertEquals(1f, p.array()[0]);
    }

    @Test
    void clippingScalesAllGradientsTogether() {
        Variable a = Variable.parameter(Tensor.wrap(new float[] {3}, 1)), b = Variable.parameter(Tensor.wrap(new float[] {0}, 1));
        a.backward(Tensor.wrap(new float[] {3}, 1));
        b.backward(Tensor.wrap(new float[] {4}, 1));
        assertEquals(5, GradientClipping.clipGlobalNorm(List.of(a, b), 1), 1e-9);
        assertEquals(0.6f, a.grad().getFlat(0), 1e-6f);
        assertEquals(0.8f, b.grad().getFlat(0), 1e-6f);
        assertEquals(1, GradientClipping.clipGlobalNorm(List.of(a, b), 10), 1e-6);
        assertEquals(0.6f, a.grad().getFlat(0), 1e-6f, "below the bound nothing changes");
    }

    @Test
    void schedulesWarmUpLinearlyThenDecay() {
        Schedule constant = Schedule.constant(0.1, 4);
        assertEquals(0.025, constant.at(0), 1e-12);
        assertEquals(0.1, constant.at(3), 1e-12);
        assertEquals(0.1, constant.at(100), 1e-12);

        Schedule step = Schedule.step(1, 10, 0.5, 0);
        assertEquals(1, step.at(9), 1e-12);
        assertEquals(0.5, step.at(10), 1e-12);
        assertEquals(0.25, step.at(25), 1e-12);

        Schedule cosine = Schedule.cosine(1, 110, 0.1, 10);
        assertEquals(0.1, cosine.at(0), 1e-12);
        assertEquals(1, cosine.at(10), 1e-12);
        assertEquals(0.55, cosine.at(60), 1e-12);
        assertEquals(0.1, cosine.at(110), 1e-12);
        assertEquals(0.1, cosine.at(500), 1e-12);
    }
}
