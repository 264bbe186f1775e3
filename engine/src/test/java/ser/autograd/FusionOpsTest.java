package ser.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import ser.autograd.reference.GatedMixReference;
import ser.autograd.reference.LayerWeightedSumReference;
import ser.autograd.kernels.HostTrainingOps;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.GradCheck;
import ser.testing.Random;

/**
 * The two ops of the HuBERT and fusion heads: their double references against central finite differences, and
 * the float ops, forward and backward, against the references.
 */
class FusionOpsTest {

    private final Random random = new Random(5);

    @Test
    void layerWeightedSumReferenceGradients() {
        int n = 2, layers = 4, rest = 6; // rest: frames × features of an unpooled stack, or features of a pooled one
        double[][] x = {random.gaussian(n * layers * rest, 1), random.gaussian(layers, 1)};
        double[] dy = random.gaussian(n * rest, 1);
        GradCheck.check("layer weighted sum", v -> LayerWeightedSumReference.forward(n, layers, rest, v[0], v[1]), x, dy,
                LayerWeightedSumReference.backward(n, layers, rest, x[0], x[1], dy));
    }

    @Test
    void gatedMixReferenceGradients() {
        int n = 12;
        double[][] x = {random.gaussian(n, 3), random.gaussian(n, 1), random.gaussian(n, 1)};
        double[] dy = random.gaussian(n, 1);
        GradCheck.check("gated mix", v -> GatedMixReference.forward(v[0], v[1], v[2]), x, dy,
                GatedMixReference.backward(x[0], x[1], x[2], dy));
    }

    @Test
    void layerWeightedSumOverFramesMatchesTheReference() {
        int n = 3, layers = 5, frames = 4, d = 7, rest = frames * d;
        double[] x = data(n * layers * rest, 1), w = data(layers, 1), dy = data(n * rest, 1);
        Variable vx = param(x, n, layers, frames, d), vw = param(w, layers);
        Variable y = LayerWeightedSum.apply(HostTrainingOps.SIMD, vx, vw);
        assertArrayEquals(new int[] {n, frames, d}, y.shape());
        Close.assertClose("sum", LayerWeightedSumReference.forward(n, layers, rest, x, w), y.array(), 1e-6);
        y.backward(Tensor.wrap(Random.toFloat(dy), y.shape()));
        double[][] g = LayerWeightedSumReference.backward(n, layers, rest, x, w, dy);
        Close.assertClose("dx", g[0], vx.grad().heapArray(), 1e-6);
        Close.assertClose("dw", g[1], vw.grad().heapArray(), 1e-5);
    }

    @Test
    void equalLogitsAverageTheLayers() {
        Variable x = Variable.constant(Tensor.wrap(new float[] {1, 2, 3, 5, 2, -1}, 1, 3, 2));
        Variable y = LayerWeightedSum.apply(HostTrainingOps.SIMD, x, Variable.parameter(Tensor.zeros(3)));
        assertArrayEquals(new float[] {2, 2}, y.array(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> LayerWeightedSum.apply(HostTrainingOps.SIMD, x, Variable.parameter(Tensor.zeros(2))));
    }

    @Test
    void gatedMixMatchesTheReference() {
        int n = 2, d = 9;
        double[] z = data(n * d, 3), a = data(n * d, 1), b = data(n * d, 1), dy = data(n * d, 1);
        Variable vz = param(z, n, d), va = param(a, n, d), vb = param(b, n, d);
        Variable y = GatedMix.apply(HostTrainingOps.SIMD, vz, va, vb);
        Close.assertClose("mix", GatedMixReference.forward(z, a, b), y.array(), 1e-6);
        y.backward(Tensor.wrap(Random.toFloat(dy), n, d));
        double[][] g = GatedMixReference.backward(z, a, b, dy);
        Close.assertClose("dz", g[0], vz.grad().heapArray(), 1e-6);
        Close.assertClose("da", g[1], va.grad().heapArray(), 1e-6);
        Close.assertClose("db", g[2], vb.grad().heapArray(), 1e-6);
    }

    @Test
    void aSaturatedGateStaysFinite() {
        assertEquals(1.0, GatedMixReference.sigmoid(800), 0);
        assertEquals(0.0, GatedMixReference.sigmoid(-800), 0);
    }

    private double[] data(int n, double scale) {
        return Random.floatRounded(random.gaussian(n, scale));
    }

    private static Variable param(double[] values, int... shape) {
        return Variable.parameter(Tensor.wrap(Random.toFloat(values), shape));
    }
}
