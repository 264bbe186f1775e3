package ser.autograd.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import ser.testing.GradCheck;
import ser.testing.Random;

/** Every reference backward pass against central finite differences of its forward pass, in float64. */
class ReferenceGradCheckTest {

    private final Random random = new Random(42);

    @Test
    void linear() {
        int n = 3, in = 5, out = 4;
        double[][] x = {random.gaussian(n * in, 1), random.gaussian(out * in, 1), random.gaussian(out, 1)};
        double[] dy = random.gaussian(n * out, 1);
        double[][] g = LinearReference.backward(n, in, out, x[0], x[1], dy);
        GradCheck.check("linear", v -> LinearReference.forward(n, in, out, v[0], v[1], v[2]), x, dy, g);
    }

    @Test
    void conv2dPadded3x3() {
        checkConv(new ConvShape(2, 2, 5, 6, 3, 3, 3, 1, 1));
    }

    @Test
    void conv2dStridedRectangular() {
        checkConv(new ConvShape(2, 3, 7, 6, 2, 2, 3, 2, 1));
    }

    @Test
    void conv2dPointwise() {
        checkConv(new ConvShape(1, 3, 4, 4, 2, 1, 1, 1, 0));
    }

    private void checkConv(ConvShape s) {
        double[][] x = {random.gaussian(s.n() * s.inputSize(), 1), random.gaussian(s.weightSize(), 1),
            random.gaussian(s.cout(), 1)};
        double[] dy = random.gaussian(s.n() * s.outputSize(), 1);
        double[][] g = Conv2dReference.backward(s, x[0], x[1], dy);
        GradCheck.check("conv2d " + s, v -> Conv2dReference.forward(s, v[0], v[1], v[2]), x, dy, g);
    }

    @Test
    void batchNormTraining() {
        int n = 3, c = 2, spatial = 5;
        double eps = 1e-5;
        double[][] x = {random.gaussian(n * c * spatial, 2), random.uniform(c, 0.5, 1.5), random.gaussian(c, 1)};
        double[] dy = random.gaussian(n * c * spatial, 1);
        double[][] forward = BatchNormReference.train(n, c, spatial, x[0], x[1], x[2], eps);
        double[][] g = BatchNormReference.backward(n, c, spatial, x[0], x[1], eps, forward[1], forward[2], dy);
        GradCheck.check("batch norm (train)", v -> BatchNormReference.train(n, c, spatial, v[0], v[1], v[2], eps)[0],
                x, dy, new double[][] {g[0], g[1], g[2]});
    }

    @Test
    void batchNorm1dWithoutSpatialExtent() {
        int n = 4, c = 3;
        double[][] x = {random.gaussian(n * c, 1), random.uniform(c, 0.5, 1.5), random.gaussian(c, 1)};
        double[] dy = random.gaussian(n * c, 1);
        double[][] forward = BatchNormReference.train(n, c, 1, x[0], x[1], x[2], 1e-5);
        double[][] g = BatchNormReference.backward(n, c, 1, x[0], x[1], 1e-5, forward[1], forward[2], dy);
        GradCheck.check("batch norm 1d", v -> BatchNormReference.train(n, c, 1, v[0], v[1], v[2], 1e-5)[0], x, dy, g);
    }

    @Test
    void reluAwayFromTheKink() {
        double[][] x = {random.uniform(20, -2, 2)};
        for (int i = 0; i < x[0].length; i++) x[0][i] += Math.signum(x[0][i]) * 0.01;
        double[] dy = random.gaussian(20, 1);
        GradCheck.check("relu", v -> ActivationReference.relu(v[0]), x, dy,
                new double[][] {ActivationReference.reluBackward(x[0], dy)});
    }

    @Test
    void geluAcrossTheSeriesAndContinuedFractionRanges() {
        double[][] x = {random.uniform(40, -5, 5)};
        double[] dy = random.gaussian(40, 1);
        GradCheck.check("gelu", v -> ActivationReference.gelu(v[0]), x, dy,
                new double[][] {ActivationReference.geluBackward(x[0], dy)});
    }

    @Test
    void tanh() {
        double[][] x = {random.uniform(20, -3, 3)};
        double[] dy = random.gaussian(20, 1);
        GradCheck.check("tanh", v -> ActivationReference.tanh(v[0]), x, dy,
                new double[][] {ActivationReference.tanhBackward(x[0], dy)});
    }

    @Test
    void erfMatchesKnownValues() {
        assertEquals(0.0, Erf.erf(0), 0);
        assertEquals(0.5204998778130465, Erf.erf(0.5), 1e-15);
        assertEquals(0.8427007929497149, Erf.erf(1), 1e-15);
        assertEquals(-0.9953222650189527, Erf.erf(-2), 1e-15);
        assertEquals(0.9999779095030014, Erf.erf(3), 1e-15);
        assertEquals(0.9999999845827421, Erf.erf(4), 1e-15);
    }

    @Test
    void maxPool() {
        int n = 2, c = 2, h = 5, w = 7;
        double[][] x = {random.gaussian(n * c * h * w, 1)};
        double[] dy = random.gaussian(n * c * 2 * 3, 1);
        GradCheck.check("max pool", v -> MaxPoolReference.forward(n, c, h, w, 2, 2, v[0]), x, dy,
                new double[][] {MaxPoolReference.backward(n, c, h, w, 2, 2, x[0], dy)});
    }

    @Test
    void dropoutWithAFixedMask() {
        double[] mask = {0, 1.25, 1.25, 0, 1.25, 1.25};
        double[][] x = {random.gaussian(6, 1)};
        double[] dy = random.gaussian(6, 1);
        GradCheck.check("dropout", v -> DropoutReference.forward(v[0], mask), x, dy,
                new double[][] {DropoutReference.backward(mask, dy)});
    }

    @Test
    void meanOverTimeWithMask() {
        int n = 2, t = 5, d = 3;
        double[] mask = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1};
        double[][] x = {random.gaussian(n * t * d, 1)};
        double[] dy = random.gaussian(n * d, 1);
        GradCheck.check("mean pooling", v -> TimePoolingReference.mean(n, t, d, v[0], mask), x, dy,
                new double[][] {TimePoolingReference.meanBackward(n, t, d, mask, dy)});
    }

    @Test
    void attentiveStatisticsWithAndWithoutMask() {
        int n = 2, t = 5, d = 3;
        for (double[] mask : new double[][] {null, {1, 1, 1, 0, 0, 1, 1, 1, 1, 1}}) {
            double[][] x = {random.gaussian(n * t * d, 1), random.gaussian(n * t, 1)};
            double[] dy = random.gaussian(n * 2 * d, 1);
            double[][] g = TimePoolingReference.attentiveStatsBackward(n, t, d, x[0], x[1], mask, dy);
            GradCheck.check("attentive stats", v -> TimePoolingReference.attentiveStats(n, t, d, v[0], v[1], mask),
                    x, dy, g);
        }
    }

    @Test
    void crossEntropyWithWeightsAndSmoothing() {
        int n = 4, c = 3;
        int[] targets = {0, 2, 1, 2};
        double[] weights = {0.5, 2, 1};
        double[][] x = {random.gaussian(n * c, 2)};
        for (double smoothing : new double[] {0, 0.1}) {
            for (double[] w : new double[][] {null, weights}) {
                double[] g = CrossEntropyReference.backward(n, c, x[0], targets, w, smoothing);
                GradCheck.check("cross-entropy", v -> new double[] {
                    CrossEntropyReference.loss(n, c, v[0], targets, w, smoothing)}, x, new double[] {1}, new double[][] {g});
            }
        }
    }
}
