package ser.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.autograd.reference.ActivationReference;
import ser.autograd.reference.ConvShape;
import ser.autograd.reference.CrossEntropyReference;
import ser.autograd.reference.DropoutReference;
import ser.autograd.reference.MaxPoolReference;
import ser.autograd.reference.TimePoolingReference;
import ser.testing.Close;
import ser.testing.Random;

/** The vectorised kernels against the double-precision references (through {@link ReferenceKernels}). */
class SimdKernelsTest {

    private static final double TOL = 2e-5;

    @ParameterizedTest
    @CsvSource({
        "2, 1, 12, 17, 8, 3, 3, 1, 1",   // the Mel CNN's first layer, shrunk (computed directly, not by GEMM)
        "3, 1, 5, 32, 4, 3, 3, 1, 1",    // ... rows of whole vectors
        "2, 1, 4, 3, 2, 3, 3, 1, 0",     // ... no padding, rows shorter than a vector
        "3, 5, 9, 11, 16, 3, 3, 1, 1",   // the hot 3x3 case with several input channels
        "2, 4, 6, 6, 3, 1, 1, 1, 0",     // pointwise: no unfolding
        "2, 3, 9, 8, 5, 3, 2, 2, 1",     // strided, rectangular kernel
        "1, 2, 5, 5, 4, 5, 5, 1, 2"})    // kernel as large as the image
    void conv2dForwardAndBackward(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad) {
        ConvShape s = new ConvShape(n, cin, h, w, cout, kh, kw, stride, pad);
        Random random = new Random(s.hashCode());
        float[] x = Random.toFloat(random.gaussian(n * s.inputSize(), 1));
        float[] wt = Random.toFloat(random.gaussian(s.weightSize(), 0.5));
        float[] b = Random.toFloat(random.gaussian(cout, 1));
        float[] dy = Random.toFloat(random.gaussian(n * s.outputSize(), 1));

        float[] y = new float[n * s.outputSize()], yRef = y.clone();
        Kernels.SIMD.conv2dForward(s, x, wt, b, y);
        Kernels.REFERENCE.conv2dForward(s, x, wt, b, yRef);
        Close.assertClose("conv forward " + s, yRef, y, TOL);

        float[] dx = new float[x.length], dw = new float[wt.length], db = new float[cout];
        float[] dxRef = dx.clone(), dwRef = dw.clone(), dbRef = db.clone();
        Kernels.SIMD.conv2dBackward(s, x, wt, dy, dx, dw, db);
        Kernels.REFERENCE.conv2dBackward(s, x, wt, dy, dxRef, dwRef, dbRef);
        Close.assertClose("conv dx " + s, dxRef, dx, TOL);
        Close.assertClose("conv dw " + s, dwRef, dw, TOL);
        Close.assertClose("conv db " + s, dbRef, db, TOL);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "5, 37, 3", "16, 64, 33", "9, 300, 4"})
    void linearForwardAndBackward(int n, int in, int out) {
        Random random = new Random(n * 31 + in * 7 + out);
        float[] x = Random.toFloat(random.gaussian(n * in, 1)), w = Random.toFloat(random.gaussian(out * in, 0.3));
        float[] b = Random.toFloat(random.gaussian(out, 1)), dy = Random.toFloat(random.gaussian(n * out, 1));
        float[] y = new float[n * out], yRef = y.clone();
        Kernels.SIMD.linearForward(n, in, out, x, w, b, y);
        Kernels.REFERENCE.linearForward(n, in, out, x, w, b, yRef);
        Close.assertClose("linear forward", yRef, y, TOL);

        float[] dx = new float[x.length], dw = new float[w.length], db = new float[out];
        float[] dxRef = dx.clone(), dwRef = dw.clone(), dbRef = db.clone();
        Kernels.SIMD.linearBackward(n, in, out, x, w, dy, dx, dw, db);
        Kernels.REFERENCE.linearBackward(n, in, out, x, w, dy, dxRef, dwRef, dbRef);
        Close.assertClose("linear dx", dxRef, dx, TOL);
        Close.assertClose("linear dw", dwRef, dw, TOL);
        Close.assertClose("linear db", dbRef, db, TOL);
    }

    @ParameterizedTest
    @CsvSource({"4, 3, 37", "8, 5, 1", "2, 2, 300"})
    void batchNormTrainEvalAndBackward(int n, int c, int spatial) {
        Random random = new Random(n * 100 + c * 10 + spatial);
        // An offset far from zero, as after a convolution of dB-valued input, tests the centring.
        float[] x = Random.toFloat(random.gaussian(n * c * spatial, 3));
        for (int i = 0; i < x.length; i++) x[i] -= 40;
        float[] gamma = Random.toFloat(random.uniform(c, 0.5, 1.5)), beta = Random.toFloat(random.gaussian(c, 1));
        float[] dy = Random.toFloat(random.gaussian(x.length, 1));
        float eps = 1e-5f;

        float[] y = new float[x.length], mean = new float[c], var = new float[c];
        float[] yRef = y.clone(), meanRef = mean.clone(), varRef = var.clone();
        Kernels.SIMD.batchNormTrain(n, c, spatial, x, gamma, beta, eps, y, mean, var);
        Kernels.REFERENCE.batchNormTrain(n, c, spatial, x, gamma, beta, eps, yRef, meanRef, varRef);
        Close.assertClose("bn y", yRef, y, TOL);
        Close.assertClose("bn mean", meanRef, mean, 1e-6);
        Close.assertClose("bn var", varRef, var, TOL);

        float[] e = new float[x.length], eRef = e.clone();
        Kernels.SIMD.batchNormEval(n, c, spatial, x, gamma, beta, eps, mean, var, e);
        Kernels.REFERENCE.batchNormEval(n, c, spatial, x, gamma, beta, eps, mean, var, eRef);
        Close.assertClose("bn eval", eRef, e, TOL);

        float[] dx = new float[x.length], dg = new float[c], db = new float[c];
        float[] dxRef = dx.clone(), dgRef = dg.clone(), dbRef = db.clone();
        Kernels.SIMD.batchNormBackward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dg, db);
        Kernels.REFERENCE.batchNormBackward(n, c, spatial, x, gamma, eps, mean, var, dy, dxRef, dgRef, dbRef);
        Close.assertClose("bn dx", dxRef, dx, 1e-4);
        Close.assertClose("bn dgamma", dgRef, dg, TOL);
        Close.assertClose("bn dbeta", dbRef, db, TOL);
    }

    @ParameterizedTest
    @CsvSource({"3, 4, 12, 17", "2, 3, 7, 33", "5, 2, 2, 2", "2, 5, 9, 40", "2, 3, 10, 13"}) // odd sizes drop a last row or column; 5×6 pooled: vectors and a tail
    void batchNormPoolReluTrainEvalAndBackward(int n, int c, int h, int w) {
        Random random = new Random(n * 1000 + c * 100 + h * 10 + w);
        float[] x = Random.toFloat(random.gaussian(n * c * h * w, 3));
        for (int i = 0; i < x.length; i++) x[i] -= 40;
        // One negative γ: the map then reverses the order, and the maxima come from the smallest inputs.
        float[] gamma = Random.toFloat(random.uniform(c, 0.5, 1.5)), beta = Random.toFloat(random.gaussian(c, 1));
        gamma[c - 1] = -gamma[c - 1];
        int pooled = n * c * (h / 2) * (w / 2);
        float[] dy = Random.toFloat(random.gaussian(pooled, 1));
        float eps = 1e-5f;

        float[] y = new float[pooled], mean = new float[c], var = new float[c];
        float[] yRef = y.clone(), meanRef = mean.clone(), varRef = var.clone();
        int[] from = new int[pooled], fromRef = new int[pooled];
        Kernels.SIMD.batchNormPoolReluTrain(n, c, h, w, x, gamma, beta, eps, y, from, mean, var);
        Kernels.REFERENCE.batchNormPoolReluTrain(n, c, h, w, x, gamma, beta, eps, yRef, fromRef, meanRef, varRef);
        Close.assertClose("y", yRef, y, TOL);
        org.junit.jupiter.api.Assertions.assertArrayEquals(fromRef, from, "argmax");
        Close.assertClose("mean", meanRef, mean, 1e-6);
        Close.assertClose("var", varRef, var, TOL);

        float[] e = new float[pooled], eRef = e.clone();
        Kernels.SIMD.batchNormPoolReluEval(n, c, h, w, x, gamma, beta, eps, mean, var, e);
        Kernels.REFERENCE.batchNormPoolReluEval(n, c, h, w, x, gamma, beta, eps, mean, var, eRef);
        Close.assertClose("eval", eRef, e, TOL);

        float[] dx = new float[x.length], dg = new float[c], db = new float[c];
        float[] dxRef = dx.clone(), dgRef = dg.clone(), dbRef = db.clone();
        Kernels.SIMD.batchNormPoolReluBackward(n, c, h, w, x, gamma, eps, mean, var, y, from, dy, dx, dg, db);
        Kernels.REFERENCE.batchNormPoolReluBackward(n, c, h, w, x, gamma, eps, mean, var, y, from, dy, dxRef, dgRef, dbRef);
        Close.assertClose("dx", dxRef, dx, 1e-4);
        Close.assertClose("dgamma", dgRef, dg, TOL);
        Close.assertClose("dbeta", dbRef, db, TOL);

        // In place, as the fused op runs it: the input's array receives its gradient.
        float[] inPlace = x.clone();
        Kernels.SIMD.batchNormPoolReluBackward(n, c, h, w, inPlace, gamma, eps, mean, var, y, from, dy, inPlace, dg, db);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dx, inPlace, "in place");
    }

    /** The fused block backward is its two steps, bit for bit, and close to the references. */
    @ParameterizedTest
    @CsvSource({"3, 1, 12, 17, 8", "2, 3, 9, 8, 16", "3, 5, 6, 7, 3", "2, 2, 10, 13, 4"})
    void convBlockBackwardIsItsTwoSteps(int n, int cin, int h, int w, int cout) {
        ConvShape s = new ConvShape(n, cin, h, w, cout, 3, 3, 1, 1);
        Random random = new Random(s.hashCode());
        float[] x = Random.toFloat(random.gaussian(n * s.inputSize(), 5));
        float[] wt = Random.toFloat(random.gaussian(s.weightSize(), 0.5)), b = Random.toFloat(random.gaussian(cout, 1));
        float[] gamma = Random.toFloat(random.uniform(cout, -1.5, 1.5)), beta = Random.toFloat(random.gaussian(cout, 1));
        float[] conv = new float[n * s.outputSize()], mean = new float[cout], var = new float[cout];
        int pooled = n * cout * (h / 2) * (w / 2);
        float[] y = new float[pooled], dy = Random.toFloat(random.gaussian(pooled, 1));
        int[] from = new int[pooled];
        Kernels.SIMD.conv2dForward(s, x, wt, b, conv);
        Kernels.SIMD.batchNormPoolReluTrain(n, cout, h, w, conv, gamma, beta, 1e-5f, y, from, mean, var);

        float[][] fused = blockGradients(s, x, wt, conv.clone(), gamma, mean, var, y, from, dy, (c, g) ->
                Kernels.SIMD.convBlockBackward(s, x, wt, c, gamma, 1e-5f, mean, var, y, from, dy, g[0], g[1], g[2], g[3], g[4]));
        float[][] twoSteps = blockGradients(s, x, wt, conv.clone(), gamma, mean, var, y, from, dy, (c, g) -> {
            Kernels.SIMD.batchNormPoolReluBackward(n, cout, h, w, c, gamma, 1e-5f, mean, var, y, from, dy, c, g[3], g[4]);
            Kernels.SIMD.conv2dBackward(s, x, wt, c, g[0], g[1], g[2]);
        });
        float[][] reference = blockGradients(s, x, wt, conv.clone(), gamma, mean, var, y, from, dy, (c, g) ->
                Kernels.REFERENCE.convBlockBackward(s, x, wt, c, gamma, 1e-5f, mean, var, y, from, dy, g[0], g[1], g[2], g[3], g[4]));
        String[] names = {"dx", "dw", "db", "dgamma", "dbeta"};
        for (int i = 0; i < names.length; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(twoSteps[i], fused[i], names[i]);
            if (i != 2) Close.assertClose(names[i], reference[i], fused[i], 1e-4); // db: zero but for rounding
        }
    }

    /** Runs {@code backward} into fresh gradient arrays {dx, dw, db, dgamma, dbeta} and returns them. */
    private static float[][] blockGradients(ConvShape s, float[] x, float[] wt, float[] conv, float[] gamma, float[] mean,
                                            float[] var, float[] y, int[] from, float[] dy,
                                            java.util.function.BiConsumer<float[], float[][]> backward) {
        float[][] g = {new float[x.length], new float[wt.length], new float[s.cout()], new float[s.cout()], new float[s.cout()]};
        backward.accept(conv, g);
        return g;
    }

    /**
     * Every backend pools as the reference does, values and argmax bit for bit, ties (whole numbers from {-1, 0, 1})
     * and NaNs included; the gradient of overlapping windows (stride below the kernel) sums in another order.
     */
    @ParameterizedTest
    @CsvSource({"2, 3, 7, 9, 2, 2", "1, 2, 5, 75, 2, 2", "2, 2, 8, 8, 3, 3", "2, 3, 9, 7, 3, 2", "1, 2, 6, 5, 2, 1"})
    void maxPoolForwardAndBackward(int n, int c, int h, int w, int kernel, int stride) {
        Random random = new Random(n * 1000 + c * 100 + h * 10 + w + kernel + stride);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = random.nextInt(3) - 1;
        x[4] = x[w + 3] = x[x.length / 2] = x[x.length - 2] = Float.NaN;
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        float[] dy = Random.toFloat(random.gaussian(n * c * oh * ow, 1));
        double[] wx = Random.toDouble(x);
        int[] argmax = MaxPoolReference.argmax(n, c, h, w, kernel, stride, wx);
        double[] dxRef = MaxPoolReference.backward(n, c, h, w, kernel, stride, wx, Random.toDouble(dy));
        for (Kernels k : Kernels.all()) {
            float[] y = new float[dy.length];
            int[] from = new int[dy.length];
            k.maxPoolForward(n, c, h, w, kernel, stride, x, y, from);
            assertArrayEquals(argmax, from, k.name() + " argmax");
            for (int o = 0; o < y.length; o++) assertEquals(Float.floatToIntBits(x[argmax[o]]), Float.floatToIntBits(y[o]));
            float[] dx = new float[x.length];
            java.util.Arrays.fill(dx, 7f); // overwritten, not added to
            k.maxPoolBackward(n, c, h, w, kernel, stride, x, from, dy, dx);
            Close.assertClose(k.name() + " max pool dx", dxRef, dx, stride < kernel ? 1e-6 : 0);
        }
    }

    /** Awkward values, then Gaussian ones: NaN, ±0, ±∞, subnormals, GELUs that vanish or are subnormal. */
    private static float[] awkward(Random random, int n, double scale) {
        float[] x = Random.toFloat(random.gaussian(n, scale));
        float[] odd = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            -9.3f, -12f, -13.5f, 1e-30f, -1e-30f, 2e-38f};
        System.arraycopy(odd, 0, x, 0, Math.min(odd.length, n));
        return x;
    }

    /** Lengths around the vector width and the slices, with a scalar tail. */
    @ParameterizedTest
    @CsvSource({"12", "37", "1000", "4099"})
    void reluIsTheReferenceBitForBit(int size) {
        Random random = new Random(size);
        float[] x = awkward(random, size, 2), dy = Random.toFloat(random.gaussian(size, 1));
        dy[1] = -0f;
        double[] y = ActivationReference.relu(Random.toDouble(x));
        double[] dx = ActivationReference.reluBackward(Random.toDouble(x), Random.toDouble(dy));
        for (Kernels k : Kernels.all()) {
            float[] out = new float[size], grad = new float[size];
            k.reluForward(x, out);
            k.reluBackward(x, dy, grad);
            for (int i = 0; i < size; i++) {
                assertEquals(Float.floatToIntBits((float) y[i]), Float.floatToIntBits(out[i]), k.name() + " relu " + x[i]);
                assertEquals(Float.floatToIntBits((float) dx[i]), Float.floatToIntBits(grad[i]), k.name() + " relu dx at " + x[i]);
            }
        }
    }

    /**
     * GELU in double on every backend: the reference rounds, SIMD rounds with subnormals flushed to zero (which is
     * what training has always computed, bit for bit).
     */
    @ParameterizedTest
    @CsvSource({"13", "1000"})
    void geluIsTheReferenceRounded(int size) {
        Random random = new Random(size + 1);
        float[] x = awkward(random, size, 3), dy = Random.toFloat(random.gaussian(size, 1));
        x[0] = 0.5f; // no NaN: erf's NaN is fine, but the comparisons below want numbers
        double[] y = ActivationReference.gelu(Random.toDouble(x));
        double[] dx = ActivationReference.geluBackward(Random.toDouble(x), Random.toDouble(dy));
        float[] out = new float[size], grad = new float[size];
        Kernels.REFERENCE.geluForward(x, out);
        Kernels.REFERENCE.geluBackward(x, dy, grad);
        for (int i = 0; i < size; i++) {
            assertEquals((float) y[i], out[i], "reference gelu " + x[i]);
            assertEquals((float) dx[i], grad[i], "reference gelu dx " + x[i]);
        }
        Kernels.SIMD.geluForward(x, out);
        Kernels.SIMD.geluBackward(x, dy, grad);
        for (int i = 0; i < size; i++) {
            assertEquals(DoubleKernels.flushed(y[i]), out[i], "simd gelu " + x[i]);
            assertEquals(DoubleKernels.flushed(dx[i]), grad[i], "simd gelu dx " + x[i]);
        }
        assertTrue(y[12] != 0 && Math.abs(y[12]) < Float.MIN_NORMAL, "gelu(2e-38) is subnormal in float");
        assertEquals(0f, out[12], "and flushed");
    }

    /** A product rounds once, in float or in double then float: the same bits on every backend. */
    @ParameterizedTest
    @CsvSource({"13", "37", "4099"})
    void dropoutIsTheReferenceBitForBit(int size) {
        Random random = new Random(size + 2);
        float[] x = awkward(random, size, 2), dy = awkward(random, size, 1), mask = new float[size];
        for (int i = 0; i < size; i++) mask[i] = random.nextInt(4) == 0 ? 0f : 1 / 0.75f;
        double[] y = DropoutReference.forward(Random.toDouble(x), Random.toDouble(mask));
        double[] dx = DropoutReference.backward(Random.toDouble(mask), Random.toDouble(dy));
        for (Kernels k : Kernels.all()) {
            float[] out = new float[size], grad = new float[size];
            k.dropoutForward(x, mask, out);
            k.dropoutBackward(mask, dy, grad);
            for (int i = 0; i < size; i++) {
                assertEquals(Float.floatToIntBits((float) y[i]), Float.floatToIntBits(out[i]), k.name() + " dropout " + x[i]);
                assertEquals(Float.floatToIntBits((float) dx[i]), Float.floatToIntBits(grad[i]), k.name() + " dropout dx " + dy[i]);
            }
        }
    }

    /**
     * The mean over real frames in double on every backend, with and without a mask, values down to subnormal: the
     * reference rounds, SIMD rounds with subnormals flushed (what training has always computed, bit for bit).
     */
    @ParameterizedTest
    @CsvSource({"3, 7, 5, true", "3, 7, 5, false", "5, 40, 33, true", "1, 1, 3, false"})
    void timeMeanIsTheReferenceRounded(int n, int t, int d, boolean masked) {
        Random random = new Random(n * 100 + t * 10 + d);
        float[] x = Random.toFloat(random.gaussian(n * t * d, 1)), dy = Random.toFloat(random.gaussian(n * d, 1e-3));
        for (int i = 0; i < d; i++) x[i] *= 1e-39f; // the first frame of the first sequence: subnormal means
        float[] mask = null;
        if (masked) {
            mask = new float[n * t];
            for (int i = 0; i < n; i++) java.util.Arrays.fill(mask, i * t, i * t + 1 + random.nextInt(t), 1f);
            mask[0] = 1;
            mask[1] = 0; // the first sequence has one real frame
            for (int s = 2; s < t; s++) mask[s] = 0;
        }
        double[] wm = mask == null ? null : Random.toDouble(mask);
        double[] y = TimePoolingReference.mean(n, t, d, Random.toDouble(x), wm);
        double[] dx = TimePoolingReference.meanBackward(n, t, d, wm, Random.toDouble(dy));
        float[] out = new float[n * d], grad = new float[n * t * d];
        Kernels.REFERENCE.timeMeanForward(n, t, d, x, mask, out);
        Kernels.REFERENCE.timeMeanBackward(n, t, d, mask, dy, grad);
        for (int i = 0; i < out.length; i++) assertEquals((float) y[i], out[i], "reference mean " + i);
        for (int i = 0; i < grad.length; i++) assertEquals((float) dx[i], grad[i], "reference mean dx " + i);
        Kernels.SIMD.timeMeanForward(n, t, d, x, mask, out);
        Kernels.SIMD.timeMeanBackward(n, t, d, mask, dy, grad);
        for (int i = 0; i < out.length; i++) assertEquals(DoubleKernels.flushed(y[i]), out[i], "simd mean " + i);
        for (int i = 0; i < grad.length; i++) assertEquals(DoubleKernels.flushed(dx[i]), grad[i], "simd mean dx " + i);
        if (masked || t == 1) assertEquals(0f, out[0], "a subnormal mean, flushed");
    }

    @Test
    void timeMeanWantsARealFrameInEverySequence() {
        float[] x = new float[2 * 3 * 4], mask = {1, 0, 0, 0, 0, 0};
        for (Kernels k : Kernels.all()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> k.timeMeanForward(2, 3, 4, x, mask, new float[8]));
            assertEquals("sequence 1 has no unmasked frame", e.getMessage(), k.name());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> k.timeMeanBackward(2, 3, 4, mask, new float[8], new float[24]), k.name());
        }
    }

    /**
     * Cross-entropy through its reference on every backend: rounded; on SIMD also with the gradients a confident
     * batch (logits ~ 60 apart) makes negligible set to zero, as training has always done.
     */
    @ParameterizedTest
    @CsvSource({"6, 4, 60, 0, true", "6, 4, 60, 0.2, false", "5, 3, 1, 0, false", "32, 7, 3, 0.1, true"})
    void crossEntropyIsTheReferenceRounded(int n, int c, double scale, double smoothing, boolean weighted) {
        Random random = new Random(n * 10 + c);
        float[] logits = Random.toFloat(random.gaussian(n * c, scale));
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) targets[i] = random.nextInt(c);
        float[] weights = weighted ? Random.toFloat(random.uniform(c, 0.5, 2)) : null;
        float upstream = 0.7f;
        double[] z = Random.toDouble(logits), w = weights == null ? null : Random.toDouble(weights);
        double loss = CrossEntropyReference.loss(n, c, z, targets, w, smoothing);
        double[] grad = CrossEntropyReference.backward(n, c, z, targets, w, smoothing);
        float[] dz = new float[n * c];
        assertEquals((float) loss, Kernels.REFERENCE.crossEntropyForward(n, c, logits, targets, weights, smoothing));
        Kernels.REFERENCE.crossEntropyBackward(n, c, logits, targets, weights, smoothing, upstream, dz);
        for (int i = 0; i < dz.length; i++) assertEquals((float) (upstream * grad[i]), dz[i], "reference ce grad " + i);
        assertEquals(DoubleKernels.flushed(loss), Kernels.SIMD.crossEntropyForward(n, c, logits, targets, weights, smoothing));
        Kernels.SIMD.crossEntropyBackward(n, c, logits, targets, weights, smoothing, upstream, dz);
        int negligible = 0;
        for (int i = 0; i < dz.length; i++) {
            double g = upstream * grad[i];
            boolean zeroed = Math.abs(g) < DoubleKernels.NEGLIGIBLE_GRADIENT;
            if (zeroed) negligible++;
            assertEquals(zeroed ? 0f : DoubleKernels.flushed(g), dz[i], "simd ce grad " + i);
        }
        if (scale == 60 && smoothing == 0) assertTrue(negligible > 0, "a confident batch has negligible gradients");
    }

    @Test
    void parallelSlicesCoverTheRangeInOrder() {
        int[] owner = new int[103];
        Parallel.forEachChunk(owner.length, (chunk, from, to) -> {
            for (int i = from; i < to; i++) owner[i] = chunk + 1;
        });
        for (int i = 1; i < owner.length; i++) {
            if (owner[i] == 0 || owner[i] < owner[i - 1]) throw new AssertionError("slice gap or disorder at " + i);
        }
    }
}
