package ser.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.ConvShape;
import ser.autograd.reference.ActivationReference;
import ser.autograd.reference.BatchNormReference;
import ser.autograd.reference.Conv2dReference;
import ser.autograd.reference.CrossEntropyReference;
import ser.autograd.reference.LinearReference;
import ser.autograd.reference.MaxPoolReference;
import ser.autograd.reference.TimePoolingReference;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.Random;

/**
 * Each float op, driven through {@link Variable}s and a backward pass, against the double reference that the
 * gradient checks validated. Inputs are float-rounded before the reference sees them.
 */
class OpsMatchReferencesTest {

    /** The ops' plumbing is under test here; {@code SimdKernelsTest} holds the backends against each other. */
    private static final TrainingOps K = HostTrainingOps.SIMD;
    private static final double TOL = 3e-5;
    private final Random random = new Random(7);

    private double[] data(int n, double scale) {
        return Random.floatRounded(random.gaussian(n, scale));
    }

    private static Variable param(double[] values, int... shape) {
        return Variable.parameter(Tensor.wrap(Random.toFloat(values), shape));
    }

    private static void backward(Variable y, double[] dy) {
        y.backward(Tensor.wrap(Random.toFloat(dy), y.shape()));
    }

    private static float[] grad(Variable v) {
        return v.grad().heapArray();
    }

    @Test
    void linearOverLeadingAxes() {
        double[] x = data(2 * 3 * 5, 1), w = data(4 * 5, 1), b = data(4, 1), dy = data(2 * 3 * 4, 1);
        Variable vx = param(x, 2, 3, 5), vw = param(w, 4, 5), vb = param(b, 4);
        Variable y = LinearOp.apply(K, vx, vw, vb);
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        Close.assertClose("linear", LinearReference.forward(6, 5, 4, x, w, b), y.array(), TOL);
        backward(y, dy);
        double[][] g = LinearReference.backward(6, 5, 4, x, w, dy);
        Close.assertClose("dx", g[0], grad(vx), TOL);
        Close.assertClose("dw", g[1], grad(vw), TOL);
        Close.assertClose("db", g[2], grad(vb), TOL);
    }

    @Test
    void conv2dWithoutBiasAndConstantInput() {
        ConvShape s = new ConvShape(2, 3, 6, 7, 4, 3, 3, 1, 1);
        double[] x = data(2 * s.inputSize(), 1), w = data(s.weightSize(), 1), dy = data(2 * s.outputSize(), 1);
        Variable vx = Variable.constant(Tensor.wrap(Random.toFloat(x), 2, 3, 6, 7)), vw = param(w, 4, 3, 3, 3);
        Variable y = Conv2dOp.apply(K, vx, vw, null, 1, 1);
        Close.assertClose("conv", Conv2dReference.forward(s, x, w, null), y.array(), TOL);
        backward(y, dy);
        Close.assertClose("dw", Conv2dReference.backward(s, x, w, dy)[1], grad(vw), TOL);
        assertEquals(null, vx.grad(), "a constant collects no gradient");
    }

    @Test
    void batchNormTrainUpdatesRunningStatisticsLikePyTorch() {
        int n = 3, c = 2, spatial = 4;
        double[] x = data(n * c * spatial, 2), gamma = {1.5, 0.5}, beta = {0.1, -0.2}, dy = data(x.length, 1);
        Variable vx = param(x, n, c, 2, 2), vg = param(gamma, c), vb = param(beta, c);
        Tensor runningMean = Tensor.wrap(new float[] {0.5f, -1}, c), runningVar = Tensor.wrap(new float[] {1, 2}, c);
        Variable y = BatchNormOp.train(K, vx, vg, vb, runningMean, runningVar, 0.1f, 1e-5f);
        double[][] ref = BatchNormReference.train(n, c, spatial, x, gamma, beta, 1e-5);
        Close.assertClose("bn", ref[0], y.array(), TOL);
        for (int ch = 0; ch < c; ch++) {
            double unbiased = ref[2][ch] * (n * spatial) / (n * spatial - 1);
            assertEquals(0.9 * new double[] {0.5, -1}[ch] + 0.1 * ref[1][ch], runningMean.getFlat(ch), 1e-6);
            assertEquals(0.9 * new double[] {1, 2}[ch] + 0.1 * unbiased, runningVar.getFlat(ch), 1e-5);
        }
        backward(y, dy);
        double[][] g = BatchNormReference.backward(n, c, spatial, x, gamma, 1e-5, ref[1], ref[2], dy);
        Close.assertClose("dx", g[0], grad(vx), 1e-4);
        Close.assertClose("dgamma", g[1], grad(vg), TOL);
        Close.assertClose("dbeta", g[2], grad(vb), TOL);
    }

    @Test
    void batchNormEvalIsAnAffineMapWithItsGradient() {
        int n = 2, c = 3;
        double[] x = data(n * c, 1), gamma = {1, 2, 0.5}, beta = {0, 1, -1}, mean = {0.1, -0.2, 0.3}, var = {1, 0.5, 2};
        double[] dy = data(n * c, 1);
        Variable vx = param(x, n, c), vg = param(gamma, c), vb = param(beta, c);
        Variable y = BatchNormOp.eval(K, vx, vg, vb, Tensor.wrap(Random.toFloat(mean), c), Tensor.wrap(Random.toFloat(var), c), 1e-5f);
        Close.assertClose("bn eval", BatchNormReference.eval(n, c, 1, x, gamma, beta, 1e-5, mean, var), y.array(), TOL);
        backward(y, dy);
        for (int i = 0; i < n * c; i++) {
            int ch = i % c;
            assertEquals(dy[i] * gamma[ch] / Math.sqrt(var[ch] + 1e-5), grad(vx)[i], 1e-5);
        }
    }

    @Test
    void activations() {
        double[] x = data(50, 2), dy = data(50, 1);
        Variable v = param(x, 5, 10);
        Variable y = Activations.relu(K, v);
        Close.assertClose("relu", ActivationReference.relu(x), y.array(), 0);
        backward(y, dy);
        Close.assertClose("relu dx", ActivationReference.reluBackward(x, dy), grad(v), 0);

        v = param(x, 50);
        y = Activations.gelu(K, v);
        Close.assertClose("gelu", ActivationReference.gelu(x), y.array(), 1e-6);
        backward(y, dy);
        Close.assertClose("gelu dx", ActivationReference.geluBackward(x, dy), grad(v), 1e-6);

        v = param(x, 50);
        y = Activations.tanh(K, v);
        Close.assertClose("tanh", ActivationReference.tanh(x), y.array(), 1e-6);
        backward(y, dy);
        Close.assertClose("tanh dx", ActivationReference.tanhBackward(x, dy), grad(v), 1e-6);
    }

    @Test
    void maxPoolFloorsOddSizes() {
        int n = 2, c = 3, h = 7, w = 9;
        double[] x = data(n * c * h * w, 1), dy = data(n * c * 3 * 4, 1);
        Variable v = param(x, n, c, h, w);
        Variable y = MaxPool2dOp.apply(K, v, 2, 2);
        assertArrayEquals(new int[] {n, c, 3, 4}, y.shape());
        Close.assertClose("max pool", MaxPoolReference.forward(n, c, h, w, 2, 2, x), y.array(), 0);
        backward(y, dy);
        Close.assertClose("max pool dx", MaxPoolReference.backward(n, c, h, w, 2, 2, x, dy), grad(v), 0);
    }

    @Test
    void vectorisedMaxPoolBreaksTiesAndNaNsLikeTheReference() {
        int n = 1, c = 2, h = 5, w = 75;
        double[] x = new double[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = random.nextInt(3) - 1;
        x[2 * w + 40] = Double.NaN;
        x[w + 3] = Double.NaN;
        x[4] = Double.NaN;
        x[w + 70] = Double.NaN; // in a row's last, partial vector of windows
        x[3 * w + 74] = Double.NaN; // in the odd last column, which no window covers
        double[] dy = data(n * c * 2 * 37, 1);
        Variable v = param(x, n, c, h, w);
        Variable y = MaxPool2dOp.apply(K, v, 2, 2);
        double[] expected = MaxPoolReference.forward(n, c, h, w, 2, 2, x);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.isNaN(expected[i]), Float.isNaN(y.array()[i]), "NaN at " + i);
            if (!Double.isNaN(expected[i])) assertEquals(expected[i], y.array()[i], 0, "output " + i);
        }
        backward(y, dy);
        Close.assertClose("gradient routing", MaxPoolReference.backward(n, c, h, w, 2, 2, x, dy), grad(v), 0);
    }

    @Test
    void maxPoolSendsTiedGradientToTheFirstMaximum() {
        Variable v = param(new double[] {0, 0, 0, 0}, 1, 1, 2, 2);
        MaxPool2dOp.apply(K, v, 2, 2).backward(Tensor.wrap(new float[] {1}, 1, 1, 1, 1));
        assertArrayEquals(new float[] {1, 0, 0, 0}, grad(v));
    }

    @Test
    void dropoutIsInvertedSeededAndMasksItsGradient() {
        Variable v = param(data(10_000, 1), 100, 100);
        Variable y = DropoutOp.apply(K, v, 0.25f, new SplittableRandom(3));
        Variable again = DropoutOp.apply(K, v, 0.25f, new SplittableRandom(3));
        assertArrayEquals(y.array(), again.array(), "same seed, same mask");
        int dropped = 0;
        for (int i = 0; i < 10_000; i++) {
            if (y.array()[i] == 0) dropped++;
            else assertEquals(v.array()[i] / 0.75f, y.array()[i], 1e-6f);
        }
        assertEquals(2500, dropped, 150);
        y.backward(Tensor.wrap(filled(10_000, 1f), 100, 100));
        for (int i = 0; i < 10_000; i++) assertEquals(y.array()[i] == 0 ? 0f : 1 / 0.75f, grad(v)[i], 1e-6f);
        assertEquals(v, DropoutOp.apply(K, v, 0f, new SplittableRandom(3)), "p = 0 is the identity");
    }

    @Test
    void dropoutMasksOverManyBlocksAreFreshAndFair() {
        int size = 3 * DropoutOp.BLOCK + 7; // an odd last element: two per draw, one left over
        float[] mask = DropoutOp.mask(size, 0.2f, new SplittableRandom(11));
        assertArrayEquals(mask, DropoutOp.mask(size, 0.2f, new SplittableRandom(11)), "same seed, same mask");
        int dropped = 0, sameAsFirstBlock = 0;
        for (int i = 0; i < size; i++) {
            if (mask[i] == 0) dropped++;
            else assertEquals(1 / 0.8f, mask[i], 0f);
            if (i >= DropoutOp.BLOCK && i < 2 * DropoutOp.BLOCK && mask[i] == mask[i - DropoutOp.BLOCK]) sameAsFirstBlock++;
        }
        assertEquals(0.2, dropped / (double) size, 0.005);
        assertEquals(0.68, sameAsFirstBlock / (double) DropoutOp.BLOCK, 0.01, "blocks draw independent masks"); // 0.8² + 0.2²
    }

    @Test
    void timePooling() {
        int n = 2, t = 4, d = 3;
        double[] x = data(n * t * d, 1), scores = data(n * t, 1), mask = {1, 1, 0, 0, 1, 1, 1, 1};
        Tensor maskTensor = Tensor.wrap(Random.toFloat(mask), n, t);
        Variable vx = param(x, n, t, d);
        Variable y = TimePooling.mean(K, vx, maskTensor);
        Close.assertClose("mean", TimePoolingReference.mean(n, t, d, x, mask), y.array(), 1e-6);
        double[] dy = data(n * d, 1);
        backward(y, dy);
        Close.assertClose("mean dx", TimePoolingReference.meanBackward(n, t, d, mask, dy), grad(vx), 1e-6);

        vx = param(x, n, t, d);
        Variable vs = param(scores, n, t);
        y = TimePooling.attentiveStats(K, vx, vs, maskTensor);
        assertArrayEquals(new int[] {n, 2 * d}, y.shape());
        Close.assertClose("stats", TimePoolingReference.attentiveStats(n, t, d, x, scores, mask), y.array(), 1e-6);
        double[] dy2 = data(n * 2 * d, 1);
        backward(y, dy2);
        double[][] g = TimePoolingReference.attentiveStatsBackward(n, t, d, x, scores, mask, dy2);
        Close.assertClose("stats dx", g[0], grad(vx), 1e-6);
        Close.assertClose("stats dscores", g[1], grad(vs), 1e-6);
    }

    @Test
    void concatAndReshapeRouteGradientsBack() {
        Variable a = param(data(2 * 3, 1), 2, 3), b = param(data(2 * 2, 1), 2, 2);
        Variable y = Shapes.concat(K, 1, a, b);
        assertArrayEquals(new int[] {2, 5}, y.shape());
        assertArrayEquals(new float[] {a.array()[0], a.array()[1], a.array()[2], b.array()[0], b.array()[1],
            a.array()[3], a.array()[4], a.array()[5], b.array()[2], b.array()[3]}, y.array());
        Variable flat = Shapes.reshape(y, 10);
        flat.backward(Tensor.wrap(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10));
        assertArrayEquals(new float[] {0, 1, 2, 5, 6, 7}, grad(a));
        assertArrayEquals(new float[] {3, 4, 8, 9}, grad(b));
    }

    @Test
    void crossEntropy() {
        int n = 5, c = 4;
        int[] targets = {0, 3, 3, 1, 2};
        double[] logits = data(n * c, 2);
        float[] weights = {1, 0.5f, 2, 1.5f};
        Variable v = param(logits, n, c);
        Variable loss = CrossEntropy.loss(K, v, targets, weights, 0.1);
        assertEquals(CrossEntropyReference.loss(n, c, logits, targets, Random.toDouble(weights), 0.1), loss.array()[0], 1e-6);
        loss.backward();
        Close.assertClose("ce grad", CrossEntropyReference.backward(n, c, logits, targets, Random.toDouble(weights), 0.1),
                grad(v), 1e-6);
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }
}
