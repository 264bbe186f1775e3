package ser.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import ser.autograd.kernels.TrainingOps.Indices;
import ser.autograd.reference.ConvShape;
import ser.tensor.Backends;
import ser.tensor.Parallel;
import ser.tensor.Tensor;
import ser.testing.Close;
import ser.testing.Random;

/**
 * The layer kernels of {@link TrainingOps} (linear, convolution, batch norm, max pooling, the fused convolution
 * block) on every backend that trains ({@link Backends#fast} through {@link HostTrainingOps#of}; the CUDA backend
 * where its module runs this test, emulated without a GPU) against {@link HostTrainingOps#REFERENCE}: inputs
 * {@linkplain TrainingOps#upload uploaded}, outputs {@linkplain TrainingOps#zeros allocated} by the backend,
 * results {@linkplain TrainingOps#download downloaded}. Tolerances relative to the largest expected magnitude.
 */
class LayerTrainingOpsParityTest {

    private static final Parallel POOL = new Parallel(2);
    private static final TrainingOps REF = HostTrainingOps.REFERENCE;
    /** fp32 against float64 rounded: sums of a few hundred products, and batch norm's cancellations. */
    private static final double TOL = 1e-4;

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    /** The backends that train, with their training ops. */
    record Trainer(String name, TrainingOps ops) {
        @Override public String toString() { return name + " (" + ops.getClass().getSimpleName() + ")"; }
    }

    static List<Trainer> trainers() {
        List<Trainer> all = new ArrayList<>();
        for (Backends.Backend b : Backends.fast(POOL)) {
            try {
                all.add(new Trainer(b.name(), HostTrainingOps.of(b.ops())));
            } catch (UnsupportedOperationException cannotTrain) {
                // a backend without training kernels: not this test's business
            }
        }
        return all;
    }

    @Test
    void theCpuBackendTrains() {
        assertTrue(trainers().stream().anyMatch(t -> t.name().equals("simd")), trainers().toString());
        if (Boolean.getBoolean("ser.emulatedGpu")) {
            assertTrue(trainers().stream().anyMatch(t -> t.name().startsWith("emulated-cuda")),
                    "the emulated GPU trains: " + trainers());
        }
    }

    private static Stream<Arguments> with(Object[][] cases) {
        List<Arguments> all = new ArrayList<>();
        for (Trainer t : trainers()) for (Object[] c : cases) {
            Object[] args = new Object[c.length + 1];
            args[0] = t;
            System.arraycopy(c, 0, args, 1, c.length);
            all.add(Arguments.of(args));
        }
        return all.stream();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** A copy of {@code a} on the backend: the CPU backends upload by reference, and a kernel may write its input. */
    private static Tensor up(TrainingOps ops, float[] a) {
        Tensor t = ops.zeros(a.length);
        ops.copy(ops.upload(Tensor.wrap(a.clone(), a.length)), t);
        return t;
    }

    private static float[] down(TrainingOps ops, Tensor t) {
        float[] out = new float[(int) t.size()];
        ops.download(t, out);
        return out;
    }

    private static float[] ref(Tensor t) {
        return t.toArray();
    }

    /**
     * Within {@code tol} of the largest expected magnitude, or of a floor where all are tiny (a batch norm
     * gradient that is zero but for rounding).
     */
    private static void close(String what, float[] expected, float[] actual, double tol) {
        Close.assertClose(what, Random.toDouble(expected), Random.toDouble(actual), tol, 1e-3);
    }

    /** Whether the backend takes null for a gradient it is not asked for everywhere (the CPU kernels do not). */
    private static boolean skipsUnwanted(TrainingOps ops) {
        return !(ops instanceof HostTrainingOps);
    }

    private static float[] gaussian(Random r, int n, double scale) {
        return Random.toFloat(r.gaussian(n, scale));
    }

    // ---- linear -------------------------------------------------------------------------------------------

    static Stream<Arguments> linearCases() {
        return with(new Object[][] {{1, 1, 1}, {5, 37, 3}, {16, 64, 33}, {9, 300, 4}, {7, 3, 1}});
    }

    @ParameterizedTest(name = "{0} n={1} in={2} out={3}")
    @MethodSource("linearCases")
    void linearForwardAndBackward(Trainer trainer, int n, int in, int out) {
        TrainingOps ops = trainer.ops();
        Random r = new Random(n * 31L + in * 7L + out);
        float[] x = gaussian(r, n * in, 1), w = gaussian(r, out * in, 0.3), b = gaussian(r, out, 1);
        float[] dy = gaussian(r, n * out, 1);
        for (boolean bias : new boolean[] {true, false}) {
            Tensor yRef = Tensor.zeros(n * out);
            REF.linearForward(n, in, out, Tensor.wrap(x, n * in), Tensor.wrap(w, out * in), bias ? Tensor.wrap(b, out) : null, yRef);
            Tensor y = ops.zeros(n * out);
            ops.linearForward(n, in, out, up(ops, x), up(ops, w), bias ? up(ops, b) : null, y);
            close("linear y, bias " + bias, ref(yRef), down(ops, y), TOL);
        }
        Tensor dxRef = Tensor.zeros(n * in), dwRef = Tensor.zeros(out * in), dbRef = Tensor.zeros(out);
        REF.linearBackward(n, in, out, Tensor.wrap(x, n * in), Tensor.wrap(w, out * in), Tensor.wrap(dy, n * out), dxRef,
                dwRef, dbRef);
        Tensor dx = ops.zeros(n * in), dw = ops.zeros(out * in), db = ops.zeros(out);
        ops.linearBackward(n, in, out, up(ops, x), up(ops, w), up(ops, dy), dx, dw, db);
        close("linear dx", ref(dxRef), down(ops, dx), TOL);
        close("linear dw", ref(dwRef), down(ops, dw), TOL);
        close("linear db", ref(dbRef), down(ops, db), TOL);
        Tensor dwOnly = ops.zeros(out * in);
        ops.linearBackward(n, in, out, up(ops, x), up(ops, w), up(ops, dy), null, dwOnly, null);
        close("linear dw alone", ref(dwRef), down(ops, dwOnly), TOL);
    }

    // ---- convolution --------------------------------------------------------------------------------------

    static Stream<Arguments> convCases() {
        return with(new Object[][] {
            {2, 1, 12, 17, 8, 3, 3, 1, 1},
            {3, 1, 5, 32, 4, 3, 3, 1, 1},
            {2, 1, 4, 3, 2, 3, 3, 1, 0},
            {3, 5, 9, 11, 16, 3, 3, 1, 1},
            {2, 4, 6, 6, 3, 1, 1, 1, 0},
            {2, 3, 9, 8, 5, 3, 2, 2, 1},
            {1, 2, 5, 5, 4, 5, 5, 1, 2},
            {3, 2, 7, 9, 3, 3, 3, 2, 0},
            {1, 3, 11, 10, 2, 4, 3, 2, 1}});
    }

    @ParameterizedTest(name = "{0} n={1} cin={2} {3}x{4} cout={5} k={6}x{7} stride={8} pad={9}")
    @MethodSource("convCases")
    void conv2dForwardAndBackward(Trainer trainer, int n, int cin, int h, int w, int cout, int kh, int kw, int stride,
                                  int pad) {
        TrainingOps ops = trainer.ops();
        ConvShape s = new ConvShape(n, cin, h, w, cout, kh, kw, stride, pad);
        Random r = new Random(s.hashCode());
        int xs = n * s.inputSize(), ys = n * s.outputSize();
        float[] x = gaussian(r, xs, 1), wt = gaussian(r, s.weightSize(), 0.5), b = gaussian(r, cout, 1);
        float[] dy = gaussian(r, ys, 1);
        for (boolean bias : new boolean[] {true, false}) {
            Tensor yRef = Tensor.zeros(ys);
            REF.conv2dForward(s, Tensor.wrap(x, xs), Tensor.wrap(wt, wt.length), bias ? Tensor.wrap(b, cout) : null, yRef);
            Tensor y = ops.zeros(ys);
            ops.conv2dForward(s, up(ops, x), up(ops, wt), bias ? up(ops, b) : null, y);
            close("conv y " + s + " bias " + bias, ref(yRef), down(ops, y), TOL);
        }
        Tensor dxRef = Tensor.zeros(xs), dwRef = Tensor.zeros(wt.length), dbRef = Tensor.zeros(cout);
        REF.conv2dBackward(s, Tensor.wrap(x, xs), Tensor.wrap(wt, wt.length), Tensor.wrap(dy, ys), dxRef, dwRef, dbRef);
        Tensor dx = ops.zeros(xs), dw = ops.zeros(wt.length), db = ops.zeros(cout);
        ops.conv2dBackward(s, up(ops, x), up(ops, wt), up(ops, dy), dx, dw, db);
        close("conv dx " + s, ref(dxRef), down(ops, dx), TOL);
        close("conv dw " + s, ref(dwRef), down(ops, dw), TOL);
        close("conv db " + s, ref(dbRef), down(ops, db), TOL);
        if (skipsUnwanted(ops)) {
            Tensor dxOnly = ops.zeros(xs), dwOnly = ops.zeros(wt.length);
            ops.conv2dBackward(s, up(ops, x), up(ops, wt), up(ops, dy), dxOnly, null, null);
            close("conv dx alone " + s, ref(dxRef), down(ops, dxOnly), TOL);
            ops.conv2dBackward(s, up(ops, x), up(ops, wt), up(ops, dy), null, dwOnly, null);
            close("conv dw alone " + s, ref(dwRef), down(ops, dwOnly), TOL);
        }
    }

    // ---- batch norm ---------------------------------------------------------------------------------------

    static Stream<Arguments> batchNormCases() {
        return with(new Object[][] {{4, 3, 37}, {8, 5, 1}, {2, 2, 300}, {3, 7, 5}, {1, 1, 2}});
    }

    @ParameterizedTest(name = "{0} n={1} c={2} spatial={3}")
    @MethodSource("batchNormCases")
    void batchNormTrainEvalBackwardAndRunningStats(Trainer trainer, int n, int c, int spatial) {
        TrainingOps ops = trainer.ops();
        Random r = new Random(n * 100L + c * 10L + spatial);
        int size = n * c * spatial;
        // An offset far from zero, as after a convolution of dB-valued input, tests the centring.
        float[] x = gaussian(r, size, 3);
        for (int i = 0; i < size; i++) x[i] -= 40;
        float[] gamma = Random.toFloat(r.uniform(c, -1.5, 1.5)), beta = gaussian(r, c, 1), dy = gaussian(r, size, 1);
        float eps = 1e-5f;

        Tensor yRef = Tensor.zeros(size), meanRef = Tensor.zeros(c), varRef = Tensor.zeros(c);
        REF.batchNormTrain(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps, yRef,
                meanRef, varRef);
        Tensor y = ops.zeros(size), mean = ops.zeros(c), var = ops.zeros(c);
        ops.batchNormTrain(n, c, spatial, up(ops, x), up(ops, gamma), up(ops, beta), eps, y, mean, var);
        close("bn y", ref(yRef), down(ops, y), TOL);
        close("bn mean", ref(meanRef), down(ops, mean), 1e-5);
        close("bn var", ref(varRef), down(ops, var), TOL);

        // The rest from the reference's statistics, so that each op is compared alone.
        float[] mu = ref(meanRef), v = ref(varRef);
        Tensor eRef = Tensor.zeros(size);
        REF.batchNormEval(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps,
                Tensor.wrap(mu, c), Tensor.wrap(v, c), eRef);
        Tensor e = ops.zeros(size);
        ops.batchNormEval(n, c, spatial, up(ops, x), up(ops, gamma), up(ops, beta), eps, up(ops, mu), up(ops, v), e);
        close("bn eval", ref(eRef), down(ops, e), TOL);

        for (boolean train : new boolean[] {true, false}) {
            Tensor dxRef = Tensor.zeros(size), dgRef = Tensor.zeros(c), dbRef = Tensor.zeros(c);
            Tensor dx = ops.zeros(size), dg = ops.zeros(c), db = ops.zeros(c);
            if (train) {
                REF.batchNormBackward(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), eps, Tensor.wrap(mu, c),
                        Tensor.wrap(v, c), Tensor.wrap(dy, size), dxRef, dgRef, dbRef);
                ops.batchNormBackward(n, c, spatial, up(ops, x), up(ops, gamma), eps, up(ops, mu), up(ops, v), up(ops, dy),
                        dx, dg, db);
            } else {
                REF.batchNormEvalBackward(n, c, spatial, Tensor.wrap(x, size), Tensor.wrap(gamma, c), eps,
                        Tensor.wrap(mu, c), Tensor.wrap(v, c), Tensor.wrap(dy, size), dxRef, dgRef, dbRef);
                ops.batchNormEvalBackward(n, c, spatial, up(ops, x), up(ops, gamma), eps, up(ops, mu), up(ops, v),
                        up(ops, dy), dx, dg, db);
            }
            String mode = train ? "bn backward " : "bn eval backward ";
            close(mode + "dx", ref(dxRef), down(ops, dx), TOL);
            close(mode + "dgamma", ref(dgRef), down(ops, dg), TOL);
            close(mode + "dbeta", ref(dbRef), down(ops, db), TOL);
            if (!skipsUnwanted(ops)) continue;
            Tensor dxOnly = ops.zeros(size);
            if (train) {
                ops.batchNormBackward(n, c, spatial, up(ops, x), up(ops, gamma), eps, up(ops, mu), up(ops, v), up(ops, dy),
                        dxOnly, null, null);
            } else {
                ops.batchNormEvalBackward(n, c, spatial, up(ops, x), up(ops, gamma), eps, up(ops, mu), up(ops, v),
                        up(ops, dy), dxOnly, null, null);
            }
            close(mode + "dx alone", ref(dxRef), down(ops, dxOnly), TOL);
        }

        float[] runningMean = gaussian(r, c, 1), runningVar = Random.toFloat(r.uniform(c, 0.5, 2));
        Tensor rmRef = Tensor.wrap(runningMean.clone(), c), rvRef = Tensor.wrap(runningVar.clone(), c);
        long count = (long) n * spatial;
        REF.updateRunningStats(rmRef, rvRef, Tensor.wrap(mu, c), Tensor.wrap(v, c), 0.1f, count);
        Tensor rm = up(ops, runningMean), rv = up(ops, runningVar);
        ops.updateRunningStats(rm, rv, up(ops, mu), up(ops, v), 0.1f, count);
        close("running mean", ref(rmRef), down(ops, rm), 1e-6);
        close("running var", ref(rvRef), down(ops, rv), 1e-6);
    }

    // ---- batch norm, 2×2 pooling, ReLU; the convolution block ----------------------------------------------

    static Stream<Arguments> poolReluCases() {
        // odd sizes drop a last row or column
        return with(new Object[][] {{3, 4, 12, 17}, {2, 3, 7, 33}, {5, 2, 2, 2}, {2, 5, 9, 40}, {2, 3, 10, 13}, {1, 1, 3, 3}});
    }

    @ParameterizedTest(name = "{0} n={1} c={2} {3}x{4}")
    @MethodSource("poolReluCases")
    void batchNormPoolReluTrainEvalAndBackward(Trainer trainer, int n, int c, int h, int w) {
        TrainingOps ops = trainer.ops();
        Random r = new Random(n * 1000L + c * 100L + h * 10L + w);
        int size = n * c * h * w, pooled = n * c * (h / 2) * (w / 2);
        float[] x = gaussian(r, size, 3);
        for (int i = 0; i < size; i++) x[i] -= 40;
        // One negative γ: the map then reverses the order, and the maxima come from the smallest inputs.
        float[] gamma = Random.toFloat(r.uniform(c, 0.5, 1.5)), beta = gaussian(r, c, 1), dy = gaussian(r, pooled, 1);
        gamma[c - 1] = -gamma[c - 1];
        float eps = 1e-5f;

        Tensor yRef = Tensor.zeros(pooled), meanRef = Tensor.zeros(c), varRef = Tensor.zeros(c);
        Indices fromRef = REF.indices(pooled);
        REF.batchNormPoolReluTrain(n, c, h, w, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps,
                yRef, fromRef, meanRef, varRef);
        Tensor y = ops.zeros(pooled), mean = ops.zeros(c), var = ops.zeros(c);
        Indices from = ops.indices(pooled);
        assertEquals(pooled, from.size());
        ops.batchNormPoolReluTrain(n, c, h, w, up(ops, x), up(ops, gamma), up(ops, beta), eps, y, from, mean, var);
        close("bpr y", ref(yRef), down(ops, y), TOL);
        close("bpr mean", ref(meanRef), down(ops, mean), 1e-5);
        close("bpr var", ref(varRef), down(ops, var), TOL);

        Tensor eRef = Tensor.zeros(pooled);
        REF.batchNormPoolReluEval(n, c, h, w, Tensor.wrap(x, size), Tensor.wrap(gamma, c), Tensor.wrap(beta, c), eps,
                meanRef, varRef, eRef);
        Tensor e = ops.zeros(pooled);
        ops.batchNormPoolReluEval(n, c, h, w, up(ops, x), up(ops, gamma), up(ops, beta), eps, up(ops, ref(meanRef)),
                up(ops, ref(varRef)), e);
        close("bpr eval", ref(eRef), down(ops, e), TOL);

        // Each backend goes back from its own forward pass (its statistics, outputs and indices).
        Tensor dxRef = Tensor.zeros(size), dgRef = Tensor.zeros(c), dbRef = Tensor.zeros(c);
        REF.batchNormPoolReluBackward(n, c, h, w, Tensor.wrap(x, size), Tensor.wrap(gamma, c), eps, meanRef, varRef, yRef,
                fromRef, Tensor.wrap(dy, pooled), dxRef, dgRef, dbRef);
        Tensor dx = ops.zeros(size), dg = ops.zeros(c), db = ops.zeros(c);
        ops.batchNormPoolReluBackward(n, c, h, w, up(ops, x), up(ops, gamma), eps, mean, var, y, from, up(ops, dy), dx,
                dg, db);
        close("bpr dx", ref(dxRef), down(ops, dx), TOL);
        close("bpr dgamma", ref(dgRef), down(ops, dg), TOL);
        close("bpr dbeta", ref(dbRef), down(ops, db), TOL);

        // In place, as the convolution block runs it: the input receives its gradient.
        Tensor inPlace = up(ops, x);
        ops.batchNormPoolReluBackward(n, c, h, w, inPlace, up(ops, gamma), eps, mean, var, y, from, up(ops, dy), inPlace,
                dg, db);
        close("bpr dx in place", ref(dxRef), down(ops, inPlace), TOL);
    }

    static Stream<Arguments> blockCases() {
        return with(new Object[][] {{3, 1, 12, 17, 8, 1}, {2, 3, 9, 8, 16, 1}, {3, 5, 6, 7, 3, 1}, {2, 2, 10, 13, 4, 2}});
    }

    @ParameterizedTest(name = "{0} n={1} cin={2} {3}x{4} cout={5} stride={6}")
    @MethodSource("blockCases")
    void convBlockBackward(Trainer trainer, int n, int cin, int h, int w, int cout, int stride) {
        TrainingOps ops = trainer.ops();
        ConvShape s = new ConvShape(n, cin, h, w, cout, 3, 3, stride, 1);
        Random r = new Random(s.hashCode());
        int xs = n * s.inputSize(), cs = n * s.outputSize(), pooled = n * cout * (s.outH() / 2) * (s.outW() / 2);
        float[] x = gaussian(r, xs, 5), wt = gaussian(r, s.weightSize(), 0.5), b = gaussian(r, cout, 1);
        float[] gamma = Random.toFloat(r.uniform(cout, -1.5, 1.5)), beta = gaussian(r, cout, 1), dy = gaussian(r, pooled, 1);
        float eps = 1e-5f;
        String[] names = {"dx", "dw", "db", "dgamma", "dbeta"};
        int[] sizes = {xs, wt.length, cout, cout, cout};

        Tensor convRef = Tensor.zeros(cs), yRef = Tensor.zeros(pooled), meanRef = Tensor.zeros(cout), varRef = Tensor.zeros(cout);
        Indices fromRef = REF.indices(pooled);
        REF.conv2dForward(s, Tensor.wrap(x, xs), Tensor.wrap(wt, wt.length), Tensor.wrap(b, cout), convRef);
        REF.batchNormPoolReluTrain(n, cout, s.outH(), s.outW(), convRef, Tensor.wrap(gamma, cout), Tensor.wrap(beta, cout),
                eps, yRef, fromRef, meanRef, varRef);
        Tensor[] gRef = new Tensor[5];
        for (int i = 0; i < 5; i++) gRef[i] = Tensor.zeros(sizes[i]);
        REF.convBlockBackward(s, Tensor.wrap(x, xs), Tensor.wrap(wt, wt.length), convRef, Tensor.wrap(gamma, cout), eps,
                meanRef, varRef, yRef, fromRef, Tensor.wrap(dy, pooled), gRef[0], gRef[1], gRef[2], gRef[3], gRef[4]);

        Tensor conv = ops.zeros(cs), y = ops.zeros(pooled), mean = ops.zeros(cout), var = ops.zeros(cout);
        Indices from = ops.indices(pooled);
        Tensor xd = up(ops, x), wd = up(ops, wt), gd = up(ops, gamma);
        ops.conv2dForward(s, xd, wd, up(ops, b), conv);
        ops.batchNormPoolReluTrain(n, cout, s.outH(), s.outW(), conv, gd, up(ops, beta), eps, y, from, mean, var);
        Tensor[] g = new Tensor[5];
        for (int i = 0; i < 5; i++) g[i] = ops.zeros(sizes[i]);
        ops.convBlockBackward(s, xd, wd, conv, gd, eps, mean, var, y, from, up(ops, dy), g[0], g[1], g[2], g[3], g[4]);
        for (int i = 0; i < 5; i++) {
            if (i == 2) continue;  // db: zero but for rounding (batch norm removes the bias)
            close("block " + names[i], ref(gRef[i]), down(ops, g[i]), TOL);
        }
    }

    // ---- max pooling --------------------------------------------------------------------------------------

    static Stream<Arguments> maxPoolCases() {
        return with(new Object[][] {{2, 3, 7, 9, 2, 2}, {1, 2, 5, 75, 2, 2}, {2, 2, 8, 8, 3, 3}, {2, 3, 9, 7, 3, 2},
            {1, 2, 6, 5, 2, 1}, {1, 1, 4, 4, 4, 1}});
    }

    /**
     * Values bit for bit and the gradient of every window to its maximum, ties (whole numbers from {-1, 0, 1}) and
     * NaNs as PyTorch; overlapping windows (stride below the kernel) sum their gradients.
     */
    @ParameterizedTest(name = "{0} n={1} c={2} {3}x{4} kernel={5} stride={6}")
    @MethodSource("maxPoolCases")
    void maxPoolForwardAndBackward(Trainer trainer, int n, int c, int h, int w, int kernel, int stride) {
        TrainingOps ops = trainer.ops();
        Random r = new Random(n * 1000L + c * 100L + h * 10L + w + kernel + stride);
        int size = n * c * h * w, oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1, pooled = n * c * oh * ow;
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = r.nextInt(3) - 1;
        x[4] = x[w + 3] = x[size / 2] = x[size - 2] = Float.NaN;
        float[] dy = gaussian(r, pooled, 1);

        Tensor yRef = Tensor.zeros(pooled), dxRef = Tensor.zeros(size);
        Indices fromRef = REF.indices(pooled);
        REF.maxPoolForward(n, c, h, w, kernel, stride, Tensor.wrap(x, size), yRef, fromRef);
        REF.maxPoolBackward(n, c, h, w, kernel, stride, Tensor.wrap(x, size), fromRef, Tensor.wrap(dy, pooled), dxRef);

        Tensor xd = up(ops, x), y = ops.zeros(pooled);
        Indices from = ops.indices(pooled);
        ops.maxPoolForward(n, c, h, w, kernel, stride, xd, y, from);
        float[] expected = ref(yRef), actual = down(ops, y);
        for (int o = 0; o < pooled; o++) {
            assertEquals(Float.floatToIntBits(expected[o]), Float.floatToIntBits(actual[o]), "max pool y[" + o + "]");
        }
        float[] sevens = new float[size];
        java.util.Arrays.fill(sevens, 7f);
        Tensor dx = up(ops, sevens);  // overwritten, not added to
        ops.maxPoolBackward(n, c, h, w, kernel, stride, xd, from, up(ops, dy), dx);
        close("max pool dx", ref(dxRef), down(ops, dx), stride < kernel ? 1e-6 : 0);
    }

    @Test
    void indicesHaveTheirSize() {
        for (Trainer t : trainers()) {
            assertEquals(12, t.ops().indices(12).size(), t.name());
            assertEquals(0, t.ops().indices(0).size(), t.name());
        }
    }
}
