package ser.train.optim;

import org.junit.jupiter.api.Test;
import ser.autograd.Variable;
import ser.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An optimiser rebuilt from its saved state continues exactly as the one that kept running. */
class OptimizerStateTest {

    @Test
    void adamAdamWAndSgdResumeBitForBit() {
        List<Function<List<Variable>, Optimizer>> kinds = List.of(
                ps -> new Adam(ps, 0.01),
                ps -> new AdamW(ps, 0.01),
                ps -> new Sgd(ps, 0.1, 0.9));
        for (var make : kinds) {
            Variable a = param(), b = param();
            Optimizer unbroken = make.apply(List.of(a, b));
            for (int s = 0; s < 3; s++) step(unbroken, List.of(a, b), s);

            Variable c = param(), d = param();
            Optimizer first = make.apply(List.of(c, d));
            for (int s = 0; s < 2; s++) step(first, List.of(c, d), s);
            Optimizer resumed = make.apply(List.of(c, d));
            resumed.loadState(first.state());
            step(resumed, List.of(c, d), 2);

            assertArrayEquals(a.array(), c.array());
            assertArrayEquals(b.array(), d.array());
        }
    }

    @Test
    void stateOfTheWrongSizeIsRefused() {
        Variable p = param();
        Adam adam = new Adam(List.of(p), 0.01);
        step(adam, List.of(p), 0);
        var state = new java.util.HashMap<>(adam.state());
        state.put("m.0", Tensor.wrap(new float[2], 2));
        assertThrows(ser.SerException.class, () -> new Adam(List.of(param()), 0.01).loadState(state));
    }

    private static Variable param() {
        return Variable.parameter(Tensor.wrap(new float[] {0.5f, -1f, 2f}, 3));
    }

    /** A gradient that differs per step and per parameter, without a model. */
    private static void step(Optimizer o, List<Variable> params, int s) {
        o.zeroGrad();
        for (int k = 0; k < params.size(); k++) {
            Variable p = params.get(k);
            float[] g = new float[p.size()];
            for (int i = 0; i < g.length; i++) g[i] = (float) Math.sin(1 + s * 7 + k * 3 + i) + p.array()[i] * 0.1f;
            p.backward(Tensor.wrap(g, p.shape()));
        }
        o.step();
    }
}
