package ser.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.Random;

/** The fused block against the four ops it replaces, run one after another on the same inputs. */
class ConvBlockOpTest {

    @ParameterizedTest
    @CsvSource({"3, 1, 4, 12, 17, 1", "2, 3, 5, 9, 8, 1", "2, 2, 3, 11, 10, 2"})
    void trainingMatchesTheOpsApart(int n, int cin, int cout, int h, int w, int stride) {
        Random random = new Random(n + 10 * cin + 100 * cout + 1000 * h + 10000 * w);
        Inputs a = new Inputs(random, n, cin, cout, h, w), b = a.copy();
        ConvBlockOp.Norm normA = a.norm(true), normB = b.norm(true);
        Variable fused = ConvBlockOp.apply(HostTrainingOps.SIMD, a.x, a.weight, a.bias, stride, 1, normA, new ReusableBuffer());
        Variable apart = ConvBlockOp.unfused(HostTrainingOps.SIMD, b.x, b.weight, b.bias, stride, 1, normB);
        assertArrayEquals(apart.shape(), fused.shape());
        assertArrayEquals(apart.array(), fused.array(), "same arithmetic forward: bit for bit");
        assertArrayEquals(normB.runningMean().toArray(), normA.runningMean().toArray());
        assertArrayEquals(normB.runningVar().toArray(), normA.runningVar().toArray());

        Tensor g = Tensor.wrap(Random.toFloat(random.gaussian(fused.size(), 1)), fused.shape());
        fused.backward(g);
        apart.backward(g);
        // The sums over the batch for γ and β (and what depends on them) run in another order.
        Close.assertClose("dx", b.x.grad().toArray(), a.x.grad().toArray(), 1e-5);
        Close.assertClose("dweight", b.weight.grad().toArray(), a.weight.grad().toArray(), 1e-5);
        // Batch norm subtracts the mean, so the bias's gradient is zero but for rounding, in both.
        Close.assertClose("dbias", Random.toDouble(b.bias.grad().toArray()), Random.toDouble(a.bias.grad().toArray()),
                1e-5, maxAbs(b.weight.grad().toArray()));
        Close.assertClose("dgamma", b.gamma.grad().toArray(), a.gamma.grad().toArray(), 1e-5);
        Close.assertClose("dbeta", b.beta.grad().toArray(), a.beta.grad().toArray(), 1e-5);
    }

    /** The convolution's map comes from the buffer with whatever an earlier step left in it; that must not matter. */
    @org.junit.jupiter.api.Test
    void aReusedBufferChangesNothing() {
        Random random = new Random(11);
        Inputs a = new Inputs(random, 2, 3, 4, 6, 8), b = a.copy();
        ReusableBuffer reused = new ReusableBuffer();
        Tensor stale = Tensor.zeros(2, 4, 6, 8);
        for (int i = 0; i < stale.size(); i++) stale.setFlat(i, Float.NaN);
        reused.giveBack(HostTrainingOps.SIMD, stale);
        Variable first = ConvBlockOp.apply(HostTrainingOps.SIMD, a.x, a.weight, a.bias, 1, 1, a.norm(true), reused);
        Variable fresh = ConvBlockOp.apply(HostTrainingOps.SIMD, b.x, b.weight, b.bias, 1, 1, b.norm(true), new ReusableBuffer());
        assertArrayEquals(fresh.array(), first.array());
        Tensor g = Tensor.wrap(Random.toFloat(random.gaussian(first.size(), 1)), first.shape());
        first.backward(g);
        fresh.backward(g);
        assertArrayEquals(b.weight.grad().toArray(), a.weight.grad().toArray());
        assertArrayEquals(b.x.grad().toArray(), a.x.grad().toArray());
        assertSame(stale.heapArray(), reused.take(HostTrainingOps.SIMD, 2, 4, 6, 8).heapArray(), "backward gives the map back");
    }

    @ParameterizedTest
    @CsvSource({"2, 1, 4, 12, 17", "3, 2, 3, 7, 9"})
    void inferenceMatchesTheOpsApart(int n, int cin, int cout, int h, int w) {
        Random random = new Random(7 * n + cin + cout + h + w);
        Inputs a = new Inputs(random, n, cin, cout, h, w);
        try (var off = GradMode.noGrad()) {
            Variable fused = ConvBlockOp.apply(HostTrainingOps.SIMD, a.x, a.weight, a.bias, 1, 1, a.norm(false), new ReusableBuffer());
            Variable apart = ConvBlockOp.unfused(HostTrainingOps.SIMD, a.x, a.weight, a.bias, 1, 1, a.norm(false));
            assertArrayEquals(apart.array(), fused.array());
        }
        // With gradients wanted in inference mode, the op takes the unfused way: same values.
        Variable withGrad = ConvBlockOp.apply(HostTrainingOps.SIMD, a.x, a.weight, a.bias, 1, 1, a.norm(false), new ReusableBuffer());
        try (var off = GradMode.noGrad()) {
            assertArrayEquals(ConvBlockOp.unfused(HostTrainingOps.SIMD, a.x, a.weight, a.bias, 1, 1, a.norm(false)).array(), withGrad.array());
        }
    }

    static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    /** One block's inputs and parameters, with running statistics away from their initial values. */
    private static final class Inputs {
        final Variable x, weight, bias, gamma, beta;
        final Tensor runningMean, runningVar;

        Inputs(Random r, int n, int cin, int cout, int h, int w) {
            this(Variable.parameter(tensor(r.gaussian(n * cin * h * w, 20), n, cin, h, w)),
                    Variable.parameter(tensor(r.gaussian(cout * cin * 9, 0.3), cout, cin, 3, 3)),
                    Variable.parameter(tensor(r.gaussian(cout, 1), cout)),
                    Variable.parameter(tensor(r.uniform(cout, -1.5, 1.5), cout)),
                    Variable.parameter(tensor(r.gaussian(cout, 1), cout)),
                    tensor(r.gaussian(cout, 3), cout), tensor(r.uniform(cout, 1, 40), cout));
        }

        private Inputs(Variable x, Variable weight, Variable bias, Variable gamma, Variable beta, Tensor runningMean,
                       Tensor runningVar) {
            this.x = x;
            this.weight = weight;
            this.bias = bias;
            this.gamma = gamma;
            this.beta = beta;
            this.runningMean = runningMean;
            this.runningVar = runningVar;
        }

        Inputs copy() {
            return new Inputs(Variable.parameter(x.data().copy()), Variable.parameter(weight.data().copy()),
                    Variable.parameter(bias.data().copy()), Variable.parameter(gamma.data().copy()),
                    Variable.parameter(beta.data().copy()), runningMean.copy(), runningVar.copy());
        }

        ConvBlockOp.Norm norm(boolean training) {
            return new ConvBlockOp.Norm(gamma, beta, runningMean, runningVar, 0.1f, 1e-5f, training);
        }

        private static Tensor tensor(double[] values, int... shape) {
            return Tensor.wrap(Random.toFloat(values), shape);
        }
    }
}
