package ser.cuda;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.ConvShape;
import ser.tensor.Tensor;

/**
 * What {@link CudaLayerTraining} does beyond LayerTrainingOpsParityTest's calls, on the emulated GPU: a batch
 * split into im2col chunks (the weight gradient summed over them, a last smaller chunk), host inputs, the reduced
 * GEMM precisions, and indices of another backend refused.
 */
class CudaLayerTrainingEmulatedTest {

    private static final TrainingOps REF = HostTrainingOps.REFERENCE;

    /**
     * The engine's {@code ser.testing.Random}, as much of it as this test uses: kernels' test sources compile without
     * the engine's test-jar (in a packaging build it lands on no compile path: its automatic module name would be
     * ser.engine's), so that {@code package} builds the kernels tests jar that tools/gpu/stage.sh carries.
     */
    private static final class Random {
        private final java.util.SplittableRandom random;

        Random(long seed) { random = new java.util.SplittableRandom(seed); }

        double[] gaussian(int n, double scale) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = scale * random.nextGaussian();
            return a;
        }

        double[] uniform(int n, double lo, double hi) {
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = random.nextDouble(lo, hi);
            return a;
        }

        static float[] toFloat(double[] a) {
            float[] r = new float[a.length];
            for (int i = 0; i < a.length; i++) r[i] = (float) a[i];
            return r;
        }
    }

    /** The engine's {@code ser.testing.Close.assertClose} for float arrays: within tol of the largest |expected|. */
    private static final class Close {
        static void assertClose(String what, float[] expected, float[] actual, double tol) {
            org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
            double scale = 1e-12;
            for (float e : expected) scale = Math.max(scale, Math.abs(e));
            for (int i = 0; i < expected.length; i++) {
                double err = Math.abs((double) actual[i] - expected[i]);
                if (!(err <= tol * scale)) {
                    org.junit.jupiter.api.Assertions.fail(what + ": element " + i + " is " + actual[i] + ", expected "
                            + expected[i] + " (error " + err + " > " + tol + " x " + scale + ")");
                }
            }
        }
    }

    private static float[] gaussian(Random r, int n, double scale) {
        return Random.toFloat(r.gaussian(n, scale));
    }

    private static float[] down(CudaOps ops, Tensor t) {
        float[] out = new float[(int) t.size()];
        ops.download(t, out);
        return out;
    }

    /** Chunks of one example each, of two (the last of one), and the whole batch at once. */
    @ParameterizedTest
    @CsvSource({"1", "2", "5"})
    void convolutionInChunksIsTheWholeBatch(int examplesPerChunk) {
        HostGpu gpu = new HostGpu();
        CudaOps ops = new CudaOps(gpu, Cublas.Precision.FP32);
        ConvShape s = new ConvShape(5, 3, 7, 6, 4, 3, 3, 2, 1);
        CudaLayerTraining layers = new CudaLayerTraining(ops, gpu,
                (long) examplesPerChunk * s.patch() * s.outH() * s.outW() + 1, CudaLayerTraining.SLICE_VALUES);
        Random r = new Random(examplesPerChunk);
        int xs = s.n() * s.inputSize(), ys = s.n() * s.outputSize();
        float[] x = gaussian(r, xs, 1), w = gaussian(r, s.weightSize(), 0.5), b = gaussian(r, s.cout(), 1);
        float[] dy = gaussian(r, ys, 1);

        Tensor yRef = Tensor.zeros(ys);
        REF.conv2dForward(s, Tensor.wrap(x, xs), Tensor.wrap(w, w.length), Tensor.wrap(b, s.cout()), yRef);
        Tensor y = ops.zeros(ys);
        // host inputs, uploaded as read
        layers.conv2dForward(s, Tensor.wrap(x, xs), Tensor.wrap(w, w.length), Tensor.wrap(b, s.cout()), y);
        Close.assertClose("y", yRef.toArray(), down(ops, y), 1e-5);

        Tensor dxRef = Tensor.zeros(xs), dwRef = Tensor.zeros(w.length), dbRef = Tensor.zeros(s.cout());
        REF.conv2dBackward(s, Tensor.wrap(x, xs), Tensor.wrap(w, w.length), Tensor.wrap(dy, ys), dxRef, dwRef, dbRef);
        Tensor dx = ops.zeros(xs), dw = ops.zeros(w.length), db = ops.zeros(s.cout());
        layers.conv2dBackward(s, ops.upload(Tensor.wrap(x, xs)), ops.upload(Tensor.wrap(w, w.length)),
                ops.upload(Tensor.wrap(dy, ys)), dx, dw, db);
        Close.assertClose("dx", dxRef.toArray(), down(ops, dx), 1e-5);
        Close.assertClose("dw", dwRef.toArray(), down(ops, dw), 1e-5);
        Close.assertClose("db", dbRef.toArray(), down(ops, db), 1e-5);
    }

    /**
     * Per-channel reductions split into slices, a last one empty among them (9 values in 4 slices of 3), and
     * combined: batch statistics, batch norm's gradient sums, bias gradients.
     */
    @ParameterizedTest
    @CsvSource({"3, 2, 3, 2", "4, 3, 37, 5", "2, 5, 40, 1000", "5, 2, 12, 7"})
    void reductionsInSlicesAreTheWholeChannel(int n, int c, int spatial, int sliceValues) {
        HostGpu gpu = new HostGpu();
        CudaOps ops = new CudaOps(gpu, Cublas.Precision.FP32);
        CudaLayerTraining layers = new CudaLayerTraining(ops, gpu, CudaLayerTraining.COLUMN_BUDGET, sliceValues);
        Random r = new Random(n * 100L + c * 10L + spatial);
        int size = n * c * spatial;
        float[] x = gaussian(r, size, 3);
        for (int i = 0; i < size; i++) x[i] -= 40;
        float[] gamma = Random.toFloat(r.uniform(c, 0.5, 1.5)), beta = gaussian(r, c, 1), dy = gaussian(r, size, 1);
        float eps = 1e-5f;

        Tensor yRef = Tensor.zeros(size), meanRef = Tensor.zeros(c), varRef = Tensor.zeros(c);
        REF.batchNormTrain(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps, yRef,
                meanRef, varRef);
        Tensor y = ops.zeros(size), mean = ops.zeros(c), var = ops.zeros(c);
        layers.batchNormTrain(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps, y,
                mean, var);
        Close.assertClose("mean", meanRef.toArray(), down(ops, mean), 1e-6);
        Close.assertClose("var", varRef.toArray(), down(ops, var), 1e-5);
        Close.assertClose("y", yRef.toArray(), down(ops, y), 1e-4);

        Tensor dxRef = Tensor.zeros(size), dgRef = Tensor.zeros(c), dbRef = Tensor.zeros(c);
        REF.batchNormBackward(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), eps, meanRef, varRef,
                Tensor.wrap(dy, size), dxRef, dgRef, dbRef);
        Tensor dx = ops.zeros(size), dg = ops.zeros(c), db = ops.zeros(c);
        layers.batchNormBackward(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), eps, meanRef, varRef,
                Tensor.wrap(dy, size), dx, dg, db);
        Close.assertClose("dx", dxRef.toArray(), down(ops, dx), 1e-4);
        Close.assertClose("dgamma", dgRef.toArray(), down(ops, dg), 1e-5);
        Close.assertClose("dbeta", dbRef.toArray(), down(ops, db), 1e-5);

        // The bias gradient of a linear layer over n·spatial rows of c outputs: dy's column sums.
        int rows = n * spatial;
        Tensor linRef = Tensor.zeros(c), lin = ops.zeros(c);
        REF.linearBackward(rows, 1, c, Tensor.zeros(rows), Tensor.zeros(c), Tensor.wrap(dy, size), Tensor.zeros(rows),
                Tensor.zeros(c), linRef);
        layers.linearBackward(rows, 1, c, Tensor.zeros(rows), Tensor.zeros(c), Tensor.wrap(dy, size), null, null, lin);
        Close.assertClose("linear db", linRef.toArray(), down(ops, lin), 1e-5);
    }

    /** The GEMMs in the backend's precision: close to fp32 within what the rounded operands allow. */
    @ParameterizedTest
    @EnumSource(Cublas.Precision.class)
    void linearAndConvolutionInEveryPrecision(Cublas.Precision precision) {
        CudaOps ops = new CudaOps(new HostGpu(), precision);
        double tol = precision == Cublas.Precision.FP32 ? 1e-5 : precision == Cublas.Precision.TF32 ? 3e-3 : 2e-2;
        Random r = new Random(7);
        int n = 6, in = 40, out = 9;
        float[] x = gaussian(r, n * in, 1), w = gaussian(r, out * in, 0.3), b = gaussian(r, out, 1);
        float[] dy = gaussian(r, n * out, 1);
        Tensor yRef = Tensor.zeros(n * out);
        REF.linearForward(n, in, out, Tensor.wrap(x, n * in), Tensor.wrap(w, out * in), Tensor.wrap(b, out), yRef);
        Tensor y = ops.zeros(n * out);
        ops.linearForward(n, in, out, ops.upload(Tensor.wrap(x, n * in)), ops.upload(Tensor.wrap(w, out * in)),
                ops.upload(Tensor.wrap(b, out)), y);
        Close.assertClose(precision + " linear y", yRef.toArray(), down(ops, y), tol);
        Tensor dwRef = Tensor.zeros(out * in), dw = ops.zeros(out * in);
        REF.linearBackward(n, in, out, Tensor.wrap(x, n * in), Tensor.wrap(w, out * in), Tensor.wrap(dy, n * out),
                Tensor.zeros(n * in), dwRef, Tensor.zeros(out));
        ops.linearBackward(n, in, out, ops.upload(Tensor.wrap(x, n * in)), ops.upload(Tensor.wrap(w, out * in)),
                ops.upload(Tensor.wrap(dy, n * out)), ops.zeros(n * in), dw, ops.zeros(out));
        Close.assertClose(precision + " linear dw", dwRef.toArray(), down(ops, dw), tol);

        ConvShape s = new ConvShape(3, 2, 6, 5, 4, 3, 3, 1, 1);
        int xs = s.n() * s.inputSize(), ys = s.n() * s.outputSize();
        float[] cx = gaussian(r, xs, 1), cw = gaussian(r, s.weightSize(), 0.5), cdy = gaussian(r, ys, 1);
        Tensor cyRef = Tensor.zeros(ys), cy = ops.zeros(ys);
        REF.conv2dForward(s, Tensor.wrap(cx, xs), Tensor.wrap(cw, cw.length), null, cyRef);
        ops.conv2dForward(s, ops.upload(Tensor.wrap(cx, xs)), ops.upload(Tensor.wrap(cw, cw.length)), null, cy);
        Close.assertClose(precision + " conv y", cyRef.toArray(), down(ops, cy), tol);
        Tensor dxRef = Tensor.zeros(xs), dx = ops.zeros(xs);
        REF.conv2dBackward(s, Tensor.wrap(cx, xs), Tensor.wrap(cw, cw.length), Tensor.wrap(cdy, ys), dxRef,
                Tensor.zeros(cw.length), Tensor.zeros(s.cout()));
        ops.conv2dBackward(s, ops.upload(Tensor.wrap(cx, xs)), ops.upload(Tensor.wrap(cw, cw.length)),
                ops.upload(Tensor.wrap(cdy, ys)), dx, null, null);
        Close.assertClose(precision + " conv dx", dxRef.toArray(), down(ops, dx), tol);
    }

    @ParameterizedTest
    @CsvSource({"4"})
    void indicesOfAnotherBackendAreRefused(int size) {
        CudaOps ops = new CudaOps(new HostGpu(), Cublas.Precision.FP32);
        TrainingOps.Indices host = REF.indices(size);
        assertThrows(IllegalArgumentException.class, () -> ops.maxPoolForward(1, 1, 4, 4, 2, 2,
                ops.zeros(16), ops.zeros(size), host));
        assertThrows(IllegalArgumentException.class, () -> ops.maxPoolForward(1, 1, 4, 4, 2, 2,
                ops.zeros(16), ops.zeros(size), ops.indices(size - 1)));
    }
}
