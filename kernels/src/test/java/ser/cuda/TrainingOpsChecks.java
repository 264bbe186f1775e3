package ser.cuda;

import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.TrainingOps.AdamStep;
import ser.autograd.kernels.TrainingOps.Indices;
import ser.autograd.kernels.TrainingOps.SgdStep;
import ser.autograd.reference.ConvShape;
import ser.nn.MelCnn;
import ser.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every {@link TrainingOps} method of a backend against {@link HostTrainingOps#REFERENCE} (the float64 kernels
 * rounded), as {@code LayerTrainingOpsParityTest} and {@code PointwiseTrainingOpsParityTest} hold them, but as a
 * list of {@link Check}s with their errors instead of assertions: inputs {@linkplain TrainingOps#upload uploaded},
 * outputs {@linkplain TrainingOps#zeros allocated} by the backend, results downloaded.
 *
 * <p>{@link GpuCheck}'s {@code training} section runs it on {@link CudaOps} in fp32 (every method) and in tf32 and
 * bf16 (the GEMM-based ones: linear and conv2d, forward and backward). With {@code large}, the Mel CNN's own sizes
 * too (its three convolutions at batch 2, its blocks' batch norm, pooling and ReLU at batch 16, its classifier at
 * batch 128, a million-element optimiser step).
 *
 * <p>Tolerances, relative to the largest |reference| ({@link Check}; for the layers at least 1e-3, as the layer parity
 * test scales an output that is zero but for rounding): the parity tests' own. Layers 1e-4 (fp32
 * sums of a few hundred products, batch norm's cancellations), a batch mean 1e-5, running statistics 1e-6; max
 * pooling's values and non-overlapping gradients, ReLU's and dropout's, the gated mix's gradients, the layer mix,
 * Adam and SGD exactly (0); the transcendental and averaging kernels a few float ulps (2e-7 to 4e-7); the layer
 * mix's double {@code dp} 1e-12, the sum of squares n·2⁻⁵³. tf32 5e-3 and bf16 2e-2, as {@link OpsChecks}'s GEMMs.
 */
final class TrainingOpsChecks {

    private static final TrainingOps REF = HostTrainingOps.REFERENCE;
    /** fp32 layers against float64 rounded, as LayerTrainingOpsParityTest. */
    static final double LAYER_TOL = 1e-4;

    private final TrainingOps ops;
    private final String precision;
    private final boolean large;
    private final double gemmTol;
    private final List<Check> out = new ArrayList<>();

    private TrainingOpsChecks(TrainingOps ops, String precision, double gemmTol, boolean large) {
        this.ops = ops;
        this.precision = precision;
        this.gemmTol = gemmTol;
        this.large = large;
    }

    /** Every method, on {@code ops} in fp32 (or a CPU backend). */
    static List<Check> all(TrainingOps ops, boolean large) {
        TrainingOpsChecks c = new TrainingOpsChecks(ops, "fp32", LAYER_TOL, large);
        c.linear();
        c.conv();
        c.convBlock();
        c.batchNorm();
        c.poolRelu();
        c.maxPool();
        c.elementWise();
        c.sequences();
        c.loss();
        c.optimisers();
        return c.out;
    }

    /** The GEMM-based methods (linear and conv2d, forward and backward) in a rounding precision. */
    static List<Check> gemms(TrainingOps ops, Cublas.Precision precision, boolean large) {
        double tol = precision == Cublas.Precision.BF16 ? 2e-2 : precision == Cublas.Precision.TF32 ? 5e-3 : LAYER_TOL;
        TrainingOpsChecks c = new TrainingOpsChecks(ops, precision.name().toLowerCase(), tol, large);
        c.linear();
        c.conv();
        return c.out;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Tensor up(float[] a) {
        return ops.upload(Tensor.wrap(a.clone(), a.length));
    }

    private float[] down(Tensor t) {
        float[] h = new float[Math.toIntExact(t.size())];
        ops.download(t, h);
        return h;
    }

    private static Tensor w(float[] a) {
        return Tensor.wrap(a, a.length);
    }

    private static Tensor host(int n) {
        return Tensor.zeros(n);
    }

    private void add(String name, float[] expected, float[] actual, double tol) {
        out.add(Check.compare(name + " [" + precision + "]", expected, actual, tol));
    }

    /**
     * A layer's output against the reference's, relative to its largest magnitude or to 1e-3 where all are smaller
     * (a batch norm gradient that is zero but for rounding), as the layer parity test holds them.
     */
    private void add(String name, Tensor expected, Tensor actual, double tol) {
        Check c = Check.compare(name + " [" + precision + "]", expected.toArray(), down(actual), tol);
        out.add(c.referenceMaxAbs() >= 1e-3 ? c : new Check(c.name() + " (scale 1e-3)", c.maxAbsError(), 1e-3, tol, c.elements()));
    }

    private void addDoubles(String name, double[] expected, double[] actual, double tol) {
        double max = 0, worst = 0;
        for (double e : expected) max = Math.max(max, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - actual[i]);
            if (!(d <= worst)) worst = d;
        }
        if (expected.length != actual.length) worst = Double.NaN;
        out.add(new Check(name + " [" + precision + "]", worst, Math.max(max, 1e-300), tol, expected.length));
    }

    /** Gaussian values of standard deviation {@code scale}, the same for every run of a seed. */
    private static float[] gaussian(int n, long seed, double scale) {
        float[] x = Check.random(n, seed);
        for (int i = 0; i < n; i++) x[i] *= (float) scale;
        return x;
    }

    /** Uniform values in ±scale, the same for every run of a seed. */
    private static float[] uniform(int n, long seed, float scale) {
        java.util.Random r = new java.util.Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = scale * (2 * r.nextFloat() - 1);
        return v;
    }

    /** The first elements made edge cases: 0, −0, NaN, a positive, a negative, the smallest subnormal. */
    private static float[] edges(float[] v) {
        float[] e = {0f, -0f, Float.NaN, 0.5f, 1.5f, -2f, Float.MIN_VALUE};
        for (int i = 0; i < Math.min(e.length, v.length); i++) v[i] = e[i];
        return v;
    }

    /** dB-like activations: far from zero, as after a convolution of log-Mel input (tests batch norm's centring). */
    private static float[] offset(int n, long seed) {
        float[] x = gaussian(n, seed, 3);
        for (int i = 0; i < n; i++) x[i] -= 40;
        return x;
    }

    private static String conv(ConvShape s) {
        return String.format("n %d cin %d %dx%d cout %d k %dx%d stride %d pad %d", s.n(), s.cin(), s.h(), s.w(), s.cout(),
                s.kh(), s.kw(), s.stride(), s.pad());
    }

    // ---- linear, convolution ----------------------------------------------------------------------------------

    private void linear() {
        List<int[]> cases = new ArrayList<>(List.of(new int[] {1, 1, 1}, new int[] {5, 37, 3}, new int[] {16, 64, 33},
                new int[] {9, 300, 4}));
        if (large) cases.add(new int[] {128, 128 * 16 * 18, 4});  // the Mel CNN's classifier at batch 128
        for (int[] c : cases) {
            int n = c[0], in = c[1], o = c[2];
            long seed = n * 31L + in * 7L + o;
            float[] x = gaussian(n * in, seed, 1), wt = gaussian(o * in, seed + 1, 0.3), b = gaussian(o, seed + 2, 1);
            float[] dy = gaussian(n * o, seed + 3, 1);
            String s = String.format("n %d in %d out %d", n, in, o);
            for (boolean bias : new boolean[] {true, false}) {
                Tensor yRef = host(n * o), y = ops.zeros(n * o);
                REF.linearForward(n, in, o, w(x), w(wt), bias ? w(b) : null, yRef);
                ops.linearForward(n, in, o, up(x), up(wt), bias ? up(b) : null, y);
                add("linearForward " + s + (bias ? "" : " no bias"), yRef, y, gemmTol);
            }
            Tensor dxRef = host(n * in), dwRef = host(o * in), dbRef = host(o);
            REF.linearBackward(n, in, o, w(x), w(wt), w(dy), dxRef, dwRef, dbRef);
            Tensor dx = ops.zeros(n * in), dw = ops.zeros(o * in), db = ops.zeros(o);
            ops.linearBackward(n, in, o, up(x), up(wt), up(dy), dx, dw, db);
            add("linearBackward dx " + s, dxRef, dx, gemmTol);
            add("linearBackward dw " + s, dwRef, dw, gemmTol);
            add("linearBackward db " + s, dbRef, db, gemmTol);
            Tensor dwOnly = ops.zeros(o * in);
            ops.linearBackward(n, in, o, up(x), up(wt), up(dy), null, dwOnly, null);
            add("linearBackward dw alone " + s, dwRef, dwOnly, gemmTol);
        }
    }

    /** The Mel CNN's convolutions at batch {@code n}. */
    private static List<ConvShape> melCnnConvs(int n) {
        int h = MelCnn.MELS, wd = MelCnn.FRAMES;
        return List.of(new ConvShape(n, 1, h, wd, 32, 3, 3, 1, 1), new ConvShape(n, 32, h / 2, wd / 2, 64, 3, 3, 1, 1),
                new ConvShape(n, 64, h / 4, wd / 4, 128, 3, 3, 1, 1));
    }

    private void conv() {
        List<ConvShape> shapes = new ArrayList<>(List.of(new ConvShape(2, 1, 12, 17, 8, 3, 3, 1, 1),
                new ConvShape(3, 5, 9, 11, 16, 3, 3, 1, 1), new ConvShape(2, 4, 6, 6, 3, 1, 1, 1, 0),
                new ConvShape(2, 3, 9, 8, 5, 3, 2, 2, 1), new ConvShape(1, 2, 5, 5, 4, 5, 5, 1, 2),
                new ConvShape(1, 3, 11, 10, 2, 4, 3, 2, 1)));
        if (large) shapes.addAll(melCnnConvs(2));
        for (ConvShape s : shapes) {
            long seed = s.hashCode();
            int xs = s.n() * s.inputSize(), ys = s.n() * s.outputSize(), cout = s.cout();
            float[] x = gaussian(xs, seed, 1), wt = gaussian(s.weightSize(), seed + 1, 0.5), b = gaussian(cout, seed + 2, 1);
            float[] dy = gaussian(ys, seed + 3, 1);
            for (boolean bias : new boolean[] {true, false}) {
                Tensor yRef = host(ys), y = ops.zeros(ys);
                REF.conv2dForward(s, w(x), w(wt), bias ? w(b) : null, yRef);
                ops.conv2dForward(s, up(x), up(wt), bias ? up(b) : null, y);
                add("conv2dForward " + conv(s) + (bias ? "" : " no bias"), yRef, y, gemmTol);
            }
            Tensor dxRef = host(xs), dwRef = host(wt.length), dbRef = host(cout);
            REF.conv2dBackward(s, w(x), w(wt), w(dy), dxRef, dwRef, dbRef);
            Tensor dx = ops.zeros(xs), dw = ops.zeros(wt.length), db = ops.zeros(cout);
            ops.conv2dBackward(s, up(x), up(wt), up(dy), dx, dw, db);
            add("conv2dBackward dx " + conv(s), dxRef, dx, gemmTol);
            add("conv2dBackward dw " + conv(s), dwRef, dw, gemmTol);
            add("conv2dBackward db " + conv(s), dbRef, db, gemmTol);
            Tensor dxOnly = ops.zeros(xs), dwOnly = ops.zeros(wt.length);
            ops.conv2dBackward(s, up(x), up(wt), up(dy), dxOnly, null, null);
            add("conv2dBackward dx alone " + conv(s), dxRef, dxOnly, gemmTol);
            ops.conv2dBackward(s, up(x), up(wt), up(dy), null, dwOnly, null);
            add("conv2dBackward dw alone " + conv(s), dwRef, dwOnly, gemmTol);
        }
    }

    /** The fused block's backward (batch norm, pooling, ReLU, then the convolution), each backend from its own forward. */
    private void convBlock() {
        List<ConvShape> shapes = new ArrayList<>(List.of(new ConvShape(3, 1, 12, 17, 8, 3, 3, 1, 1),
                new ConvShape(2, 3, 9, 8, 16, 3, 3, 1, 1), new ConvShape(2, 2, 10, 13, 4, 3, 3, 2, 1)));
        if (large) shapes.add(melCnnConvs(2).get(1));
        for (ConvShape s : shapes) {
            long seed = s.hashCode() + 5;
            int cout = s.cout(), xs = s.n() * s.inputSize(), cs = s.n() * s.outputSize();
            int pooled = s.n() * cout * (s.outH() / 2) * (s.outW() / 2);
            float[] x = gaussian(xs, seed, 5), wt = gaussian(s.weightSize(), seed + 1, 0.5), b = gaussian(cout, seed + 2, 1);
            float[] gamma = uniform(cout, seed + 3, 1.5f), beta = gaussian(cout, seed + 4, 1), dy = gaussian(pooled, seed + 5, 1);
            float eps = 1e-5f;
            String[] names = {"dx", "dw", "db", "dgamma", "dbeta"};
            int[] sizes = {xs, wt.length, cout, cout, cout};
            Tensor convRef = host(cs), yRef = host(pooled), meanRef = host(cout), varRef = host(cout);
            Indices fromRef = REF.indices(pooled);
            REF.conv2dForward(s, w(x), w(wt), w(b), convRef);
            REF.batchNormPoolReluTrain(s.n(), cout, s.outH(), s.outW(), convRef, w(gamma), w(beta), eps, yRef, fromRef, meanRef, varRef);
            Tensor[] gRef = new Tensor[5], g = new Tensor[5];
            for (int i = 0; i < 5; i++) {
                gRef[i] = host(sizes[i]);
                g[i] = ops.zeros(sizes[i]);
            }
            REF.convBlockBackward(s, w(x), w(wt), convRef, w(gamma), eps, meanRef, varRef, yRef, fromRef, w(dy),
                    gRef[0], gRef[1], gRef[2], gRef[3], gRef[4]);
            Tensor conv = ops.zeros(cs), y = ops.zeros(pooled), mean = ops.zeros(cout), var = ops.zeros(cout);
            Indices from = ops.indices(pooled);
            Tensor xd = up(x), wd = up(wt), gd = up(gamma);
            ops.conv2dForward(s, xd, wd, up(b), conv);
            ops.batchNormPoolReluTrain(s.n(), cout, s.outH(), s.outW(), conv, gd, up(beta), eps, y, from, mean, var);
            ops.convBlockBackward(s, xd, wd, conv, gd, eps, mean, var, y, from, up(dy), g[0], g[1], g[2], g[3], g[4]);
            for (int i = 0; i < 5; i++) {
                if (i == 2) continue;  // db: zero but for rounding (batch norm removes the bias)
                add("convBlockBackward " + names[i] + " " + conv(s), gRef[i], g[i], LAYER_TOL);
            }
        }
    }

    // ---- batch norm, pooling ----------------------------------------------------------------------------------

    private void batchNorm() {
        List<int[]> cases = new ArrayList<>(List.of(new int[] {4, 3, 37}, new int[] {8, 5, 1}, new int[] {2, 2, 300},
                new int[] {3, 7, 5}));
        if (large) cases.add(new int[] {16, 64, 64 * 75});
        for (int[] c : cases) {
            int n = c[0], ch = c[1], spatial = c[2], size = n * ch * spatial;
            long seed = n * 100L + ch * 10L + spatial;
            float[] x = offset(size, seed), gamma = uniform(ch, seed + 1, 1.5f), beta = gaussian(ch, seed + 2, 1);
            float[] dy = gaussian(size, seed + 3, 1);
            float eps = 1e-5f;
            String s = String.format("n %d c %d spatial %d", n, ch, spatial);
            Tensor yRef = host(size), meanRef = host(ch), varRef = host(ch);
            REF.batchNormTrain(n, ch, spatial, w(x), w(gamma), w(beta), eps, yRef, meanRef, varRef);
            Tensor y = ops.zeros(size), mean = ops.zeros(ch), var = ops.zeros(ch);
            ops.batchNormTrain(n, ch, spatial, up(x), up(gamma), up(beta), eps, y, mean, var);
            add("batchNormTrain y " + s, yRef, y, LAYER_TOL);
            add("batchNormTrain mean " + s, meanRef, mean, 1e-5);
            add("batchNormTrain var " + s, varRef, var, LAYER_TOL);
            // the rest from the reference's statistics, so that each op is compared alone
            float[] mu = meanRef.toArray(), v = varRef.toArray();
            Tensor eRef = host(size), e = ops.zeros(size);
            REF.batchNormEval(n, ch, spatial, w(x), w(gamma), w(beta), eps, w(mu), w(v), eRef);
            ops.batchNormEval(n, ch, spatial, up(x), up(gamma), up(beta), eps, up(mu), up(v), e);
            add("batchNormEval " + s, eRef, e, LAYER_TOL);
            for (boolean train : new boolean[] {true, false}) {
                Tensor dxRef = host(size), dgRef = host(ch), dbRef = host(ch);
                Tensor dx = ops.zeros(size), dg = ops.zeros(ch), db = ops.zeros(ch), dxOnly = ops.zeros(size);
                if (train) {
                    REF.batchNormBackward(n, ch, spatial, w(x), w(gamma), eps, w(mu), w(v), w(dy), dxRef, dgRef, dbRef);
                    ops.batchNormBackward(n, ch, spatial, up(x), up(gamma), eps, up(mu), up(v), up(dy), dx, dg, db);
                    ops.batchNormBackward(n, ch, spatial, up(x), up(gamma), eps, up(mu), up(v), up(dy), dxOnly, null, null);
                } else {
                    REF.batchNormEvalBackward(n, ch, spatial, w(x), w(gamma), eps, w(mu), w(v), w(dy), dxRef, dgRef, dbRef);
                    ops.batchNormEvalBackward(n, ch, spatial, up(x), up(gamma), eps, up(mu), up(v), up(dy), dx, dg, db);
                    ops.batchNormEvalBackward(n, ch, spatial, up(x), up(gamma), eps, up(mu), up(v), up(dy), dxOnly, null, null);
                }
                String m = train ? "batchNormBackward " : "batchNormEvalBackward ";
                add(m + "dx " + s, dxRef, dx, LAYER_TOL);
                add(m + "dgamma " + s, dgRef, dg, LAYER_TOL);
                add(m + "dbeta " + s, dbRef, db, LAYER_TOL);
                add(m + "dx alone " + s, dxRef, dxOnly, LAYER_TOL);
            }
            float[] runningMean = gaussian(ch, seed + 4, 1), runningVar = uniform(ch, seed + 5, 0.75f);
            for (int i = 0; i < ch; i++) runningVar[i] += 1.25f;
            Tensor rmRef = w(runningMean.clone()), rvRef = w(runningVar.clone()), rm = up(runningMean), rv = up(runningVar);
            long count = (long) n * spatial;
            REF.updateRunningStats(rmRef, rvRef, w(mu), w(v), 0.1f, count);
            ops.updateRunningStats(rm, rv, up(mu), up(v), 0.1f, count);
            add("updateRunningStats mean " + s, rmRef, rm, 1e-6);
            add("updateRunningStats var " + s, rvRef, rv, 1e-6);
        }
    }

    private void poolRelu() {
        List<int[]> cases = new ArrayList<>(List.of(new int[] {3, 4, 12, 17}, new int[] {2, 3, 7, 33}, new int[] {5, 2, 2, 2},
                new int[] {2, 3, 10, 13}));
        if (large) {  // the Mel CNN's three blocks at batch 16
            cases.add(new int[] {16, 32, 128, 151});
            cases.add(new int[] {16, 64, 64, 75});
            cases.add(new int[] {16, 128, 32, 37});
        }
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], wd = c[3], size = n * ch * h * wd, pooled = n * ch * (h / 2) * (wd / 2);
            long seed = n * 1000L + ch * 100L + h * 10L + wd;
            float[] beta = gaussian(ch, seed + 2, 1), dy = gaussian(pooled, seed + 3, 1);
            float[] gamma = uniform(ch, seed + 1, 0.5f);
            for (int i = 0; i < ch; i++) gamma[i] += gamma[i] < 0 ? -1f : 1f;
            gamma[ch - 1] = -Math.abs(gamma[ch - 1]);  // a negative γ: the maxima come from the smallest inputs
            float eps = 1e-5f;
            float[] x = separated(n, ch, h, wd, seed, gamma, beta, eps);
            String s = String.format("n %d c %d %dx%d", n, ch, h, wd);
            Tensor yRef = host(pooled), meanRef = host(ch), varRef = host(ch);
            Indices fromRef = REF.indices(pooled);
            REF.batchNormPoolReluTrain(n, ch, h, wd, w(x), w(gamma), w(beta), eps, yRef, fromRef, meanRef, varRef);
            Tensor y = ops.zeros(pooled), mean = ops.zeros(ch), var = ops.zeros(ch);
            Indices from = ops.indices(pooled);
            out.add(new Check("indices size " + pooled + " [" + precision + "]", Math.abs(from.size() - pooled), 1, 0, 1));
            ops.batchNormPoolReluTrain(n, ch, h, wd, up(x), up(gamma), up(beta), eps, y, from, mean, var);
            add("batchNormPoolReluTrain y " + s, yRef, y, LAYER_TOL);
            add("batchNormPoolReluTrain mean " + s, meanRef, mean, 1e-5);
            add("batchNormPoolReluTrain var " + s, varRef, var, LAYER_TOL);
            Tensor eRef = host(pooled), e = ops.zeros(pooled);
            REF.batchNormPoolReluEval(n, ch, h, wd, w(x), w(gamma), w(beta), eps, meanRef, varRef, eRef);
            ops.batchNormPoolReluEval(n, ch, h, wd, up(x), up(gamma), up(beta), eps, up(meanRef.toArray()), up(varRef.toArray()), e);
            add("batchNormPoolReluEval " + s, eRef, e, LAYER_TOL);
            // each backend goes back from its own forward pass (its statistics, outputs and indices)
            Tensor dxRef = host(size), dgRef = host(ch), dbRef = host(ch);
            REF.batchNormPoolReluBackward(n, ch, h, wd, w(x), w(gamma), eps, meanRef, varRef, yRef, fromRef, w(dy), dxRef, dgRef, dbRef);
            Tensor dx = ops.zeros(size), dg = ops.zeros(ch), db = ops.zeros(ch);
            ops.batchNormPoolReluBackward(n, ch, h, wd, up(x), up(gamma), eps, mean, var, y, from, up(dy), dx, dg, db);
            add("batchNormPoolReluBackward dx " + s, dxRef, dx, LAYER_TOL);
            add("batchNormPoolReluBackward dgamma " + s, dgRef, dg, LAYER_TOL);
            add("batchNormPoolReluBackward dbeta " + s, dbRef, db, LAYER_TOL);
            Tensor inPlace = up(x);  // as the convolution block runs it: the input receives its gradient
            ops.batchNormPoolReluBackward(n, ch, h, wd, inPlace, up(gamma), eps, mean, var, y, from, up(dy), inPlace, dg, db);
            add("batchNormPoolReluBackward dx in place " + s, dxRef, inPlace, LAYER_TOL);
        }
    }

    /**
     * dB-like input of {@code batchNormPoolReluTrain} ({@link #offset}'s values) whose pooling is decided by more
     * than rounding: in every 2×2 window the four values stand 0.3 (a tenth of their deviation) or more apart, and
     * each window's pooled value, computed in double from the batch statistics, is 0.02 or more from ReLU's 0 (a
     * window too near is moved). Random floats at the Mel CNN's sizes (millions of windows) hold near ties that one
     * backend's rounding resolves one way and another's the other, sending a pixel's gradient elsewhere; that is
     * the inputs' doing, not a kernel's, and the layer parity test's small shapes hold none.
     */
    private static float[] separated(int n, int c, int h, int w, long seed, float[] gamma, float[] beta, float eps) {
        float[] x = offset(n * c * h * w, seed);
        java.util.Random r = new java.util.Random(seed + 9);
        int oh = h / 2, ow = w / 2;
        int[] order = {0, 1, 2, 3};
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int at = plane * h * w + 2 * i * w + 2 * j;
                    for (int k = 3; k > 0; k--) {  // a random order of four levels 0.3 apart around the window's first value
                        int o = r.nextInt(k + 1), t = order[k];
                        order[k] = order[o];
                        order[o] = t;
                    }
                    float base = x[at];
                    x[at] = base + 0.3f * order[0];
                    x[at + 1] = base + 0.3f * order[1];
                    x[at + w] = base + 0.3f * order[2];
                    x[at + w + 1] = base + 0.3f * order[3];
                }
            }
        }
        int spatial = h * w;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int b = 0; b < n; b++) for (int e = 0; e < spatial; e++) sum += x[(b * c + ch) * spatial + e];
            double mean = sum / ((double) n * spatial);
            for (int b = 0; b < n; b++) for (int e = 0; e < spatial; e++) {
                double d = x[(b * c + ch) * spatial + e] - mean;
                sq += d * d;
            }
            double scale = gamma[ch] / Math.sqrt(sq / ((double) n * spatial) + eps);
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int at = (b * c + ch) * spatial + 2 * i * w + 2 * j;
                        int[] cells = {at, at + 1, at + w, at + w + 1};
                        double pooledValue = Double.NEGATIVE_INFINITY;
                        for (int q : cells) pooledValue = Math.max(pooledValue, (x[q] - mean) * scale + beta[ch]);
                        if (Math.abs(pooledValue) < 0.02) {  // 0.05 of the window's input toward ReLU's positive side
                            float shift = (float) (0.05 / scale);
                            for (int q : cells) x[q] += shift;
                        }
                    }
                }
            }
        }
        return x;
    }

    /** Values bit for bit (ties from whole numbers, NaNs, as PyTorch); overlapping windows sum their gradients. */
    private void maxPool() {
        List<int[]> cases = new ArrayList<>(List.of(new int[] {2, 3, 7, 9, 2, 2}, new int[] {1, 2, 5, 75, 2, 2},
                new int[] {2, 2, 8, 8, 3, 3}, new int[] {2, 3, 9, 7, 3, 2}, new int[] {1, 2, 6, 5, 2, 1}));
        if (large) cases.add(new int[] {16, 32, 128, 151, 2, 2});
        for (int[] c : cases) {
            int n = c[0], ch = c[1], h = c[2], wd = c[3], k = c[4], stride = c[5];
            int size = n * ch * h * wd, oh = (h - k) / stride + 1, ow = (wd - k) / stride + 1, pooled = n * ch * oh * ow;
            java.util.Random r = new java.util.Random(size + k + stride);
            float[] x = new float[size];
            for (int i = 0; i < size; i++) x[i] = r.nextInt(3) - 1;
            x[4] = x[wd + 3] = x[size / 2] = x[size - 2] = Float.NaN;
            float[] dy = gaussian(pooled, size + 1L, 1), sevens = new float[size];
            Arrays.fill(sevens, 7f);
            String s = String.format("n %d c %d %dx%d kernel %d stride %d", n, ch, h, wd, k, stride);
            Tensor yRef = host(pooled), dxRef = host(size);
            Indices fromRef = REF.indices(pooled);
            REF.maxPoolForward(n, ch, h, wd, k, stride, w(x), yRef, fromRef);
            REF.maxPoolBackward(n, ch, h, wd, k, stride, w(x), fromRef, w(dy), dxRef);
            Tensor xd = up(x), y = ops.zeros(pooled), dx = up(sevens);  // dx overwritten, not added to
            Indices from = ops.indices(pooled);
            ops.maxPoolForward(n, ch, h, wd, k, stride, xd, y, from);
            ops.maxPoolBackward(n, ch, h, wd, k, stride, xd, from, up(dy), dx);
            add("maxPoolForward " + s, yRef, y, 0);
            add("maxPoolBackward " + s, dxRef, dx, stride < k ? 1e-6 : 0);
        }
    }

    // ---- element-wise, sequences ------------------------------------------------------------------------------

    private int[] sizes() {
        return large ? new int[] {1, 7, 1023, 4099, (1 << 20) + 3} : new int[] {1, 7, 1023, 4099};
    }

    private interface Into { void run(Tensor out); }

    private float[] run(int n, Into op) {
        Tensor o = ops.zeros(n);
        op.run(o);
        return down(o);
    }

    private static float[] ref(int n, java.util.function.Consumer<Tensor> op) {
        Tensor o = host(n);
        op.accept(o);
        return o.toArray();
    }

    private void elementWise() {
        for (int n : sizes()) {
            float[] x = edges(uniform(n, 1, 3f)), dy = uniform(n, 2, 1f), mask = new float[n];
            if (n > 4) dy[4] = Float.NaN;
            for (int i = 0; i < n; i++) mask[i] = (i * 7919 % 5) == 0 ? 0f : 1.25f;
            add("reluForward " + n, ref(n, o -> REF.reluForward(w(x), o)), run(n, o -> ops.reluForward(up(x), o)), 0);
            add("reluBackward " + n, ref(n, o -> REF.reluBackward(w(x), w(dy), o)), run(n, o -> ops.reluBackward(up(x), up(dy), o)), 0);
            float[] xg = edges(uniform(n, 3, 6f)), dyg = uniform(n, 4, 1f);
            if (n > 8) xg[8] = -15f;  // a derivative near float's underflow
            add("geluForward " + n, ref(n, o -> REF.geluForward(w(xg), o)), run(n, o -> ops.geluForward(up(xg), o)), 1e-6);
            add("geluBackward " + n, ref(n, o -> REF.geluBackward(w(xg), w(dyg), o)),
                    run(n, o -> ops.geluBackward(up(xg), up(dyg), o)), 3e-7);
            float[] xt = edges(uniform(n, 5, 4f)), dyt = uniform(n, 6, 1f);
            float[] y = ref(n, o -> REF.tanhForward(w(xt), o));
            add("tanhForward " + n, y, run(n, o -> ops.tanhForward(up(xt), o)), 2e-7);
            add("tanhBackward " + n, ref(n, o -> REF.tanhBackward(w(y), w(dyt), o)), run(n, o -> ops.tanhBackward(up(y), up(dyt), o)), 0);
            add("dropoutForward " + n, ref(n, o -> REF.dropoutForward(w(dyt), w(mask), o)),
                    run(n, o -> ops.dropoutForward(up(dyt), up(mask), o)), 0);
            add("dropoutBackward " + n, ref(n, o -> REF.dropoutBackward(w(mask), w(dyt), o)),
                    run(n, o -> ops.dropoutBackward(up(mask), up(dyt), o)), 0);

            float[] z = edges(uniform(n, 7, 8f)), a = uniform(n, 8, 2f), b = uniform(n, 9, 2f), dym = uniform(n, 10, 1f);
            if (n > 6) z[6] = -120f;  // σ far in either tail, without overflow
            if (n > 7) z[7] = 120f;
            Tensor gateRef = host(n), yRef = host(n);
            REF.gatedMixForward(w(z), w(a), w(b), gateRef, yRef);
            Tensor gate = ops.zeros(n), ym = ops.zeros(n);
            ops.gatedMixForward(up(z), up(a), up(b), gate, ym);
            add("gatedMixForward gate " + n, gateRef, gate, 1.2e-7);
            add("gatedMixForward y " + n, yRef, ym, 3.4e-7);
            float[] g = gateRef.toArray();
            Tensor dzRef = host(n), daRef = host(n), dbRef = host(n), dz = ops.zeros(n), da = ops.zeros(n), db = ops.zeros(n);
            REF.gatedMixBackward(w(g), w(a), w(b), w(dym), dzRef, daRef, dbRef);
            ops.gatedMixBackward(up(g), up(a), up(b), up(dym), dz, da, db);
            add("gatedMixBackward dz " + n, dzRef, dz, 0);
            add("gatedMixBackward da " + n, daRef, da, 0);
            add("gatedMixBackward db " + n, dbRef, db, 0);
        }
    }

    private void sequences() {
        int[][] cases = large ? new int[][] {{4, 6, 37}, {16, 149, 768}} : new int[][] {{4, 6, 37}};
        for (int[] c : cases) {
            int n = c[0], steps = c[1], d = c[2];
            float[] x = uniform(n * steps * d, 11, 2f), dy = uniform(n * d, 12, 1f), mask = new float[n * steps];
            for (int i = 0; i < n; i++) {
                int len = i == 0 ? steps : Math.max(1, steps - 3 * i);
                for (int s = 0; s < len; s++) mask[i * steps + s] = 1f;
            }
            for (float[] m : new float[][] {null, mask}) {
                String what = String.format("n %d t %d d %d %s", n, steps, d, m == null ? "no mask" : "mask");
                add("timeMeanForward " + what, ref(n * d, o -> REF.timeMeanForward(n, steps, d, w(x), m == null ? null : w(m), o)),
                        run(n * d, o -> ops.timeMeanForward(n, steps, d, up(x), m == null ? null : up(m), o)), 2.2e-7);
                add("timeMeanBackward " + what, ref(n * steps * d, o -> REF.timeMeanBackward(n, steps, d, m == null ? null : w(m), w(dy), o)),
                        run(n * steps * d, o -> ops.timeMeanBackward(n, steps, d, m == null ? null : up(m), up(dy), o)), 1.2e-7);
            }
        }
        int[][] mixes = large ? new int[][] {{3, 5, 66}, {8, 13, 149 * 768}} : new int[][] {{3, 5, 66}};
        for (int[] c : mixes) {
            int n = c[0], layers = c[1], rest = c[2];
            float[] x = uniform(n * layers * rest, 13, 3f), dy = uniform(n * rest, 14, 1f);
            double[] p = new double[layers];
            java.util.Random r = new java.util.Random(15);
            double sum = 0;
            for (int l = 0; l < layers; l++) sum += p[l] = Math.exp(r.nextGaussian());
            for (int l = 0; l < layers; l++) p[l] /= sum;
            String what = String.format("n %d layers %d rest %d", n, layers, rest);
            add("layerMixForward " + what, ref(n * rest, o -> REF.layerMixForward(n, layers, rest, w(x), p, o)),
                    run(n * rest, o -> ops.layerMixForward(n, layers, rest, up(x), p, o)), 0);
            double[] dpRef = new double[layers], dpOut = new double[layers], dpAlone = new double[layers];
            Arrays.fill(dpOut, Double.NaN);  // overwritten, not added to
            add("layerMixBackward dx " + what, ref(n * layers * rest, o -> REF.layerMixBackward(n, layers, rest, w(x), p, w(dy), o, dpRef)),
                    run(n * layers * rest, o -> ops.layerMixBackward(n, layers, rest, up(x), p, up(dy), o, dpOut)), 0);
            addDoubles("layerMixBackward dp " + what, dpRef, dpOut, 1e-12);
            ops.layerMixBackward(n, layers, rest, up(x), p, up(dy), null, dpAlone);
            addDoubles("layerMixBackward dp without dx " + what, dpRef, dpAlone, 1e-12);
        }
    }

    // ---- loss, optimisers -------------------------------------------------------------------------------------

    private void loss() {
        int[][] cases = large ? new int[][] {{9, 5}, {128, 8}} : new int[][] {{9, 5}};
        for (int[] c : cases) {
            int n = c[0], classes = c[1];
            float[] logits = uniform(n * classes, 16, 4f);
            logits[3 * classes + 1] = 90f;  // a confident row: gradients like e^-90 that a backend may flush
            int[] targets = new int[n];
            for (int i = 0; i < n; i++) targets[i] = (i * 7 + 3) % classes;
            float[] classWeights = new float[classes];
            for (int k = 0; k < classes; k++) classWeights[k] = 0.25f + 0.5f * (k % 4);
            for (float[] cw : new float[][] {null, classWeights}) {
                for (double smoothing : new double[] {0, 0.1}) {
                    String what = String.format("n %d classes %d %s smoothing %s", n, classes, cw == null ? "unweighted" : "weighted", smoothing);
                    float want = REF.crossEntropyForward(n, classes, w(logits), targets, cw, smoothing);
                    float got = ops.crossEntropyForward(n, classes, up(logits), targets, cw, smoothing);
                    add("crossEntropyForward " + what, new float[] {want}, new float[] {got}, 2.4e-7);
                    add("crossEntropyBackward " + what,
                            ref(n * classes, o -> REF.crossEntropyBackward(n, classes, w(logits), targets, cw, smoothing, 0.7f, o)),
                            run(n * classes, o -> ops.crossEntropyBackward(n, classes, up(logits), targets, cw, smoothing, 0.7f, o)),
                            3.4e-7);
                }
            }
        }
    }

    private void optimisers() {
        int n = large ? (1 << 20) + 5 : 1029;
        float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        for (int mode = 0; mode < 3; mode++) {
            float weightDecay = mode == 2 ? 0f : 0.01f;
            boolean decoupled = mode == 0;
            float[] wt = uniform(n, 17, 1f), m = new float[n], v = new float[n];
            wt[0] = 0f;
            Tensor dw = up(wt), dm = up(m), dv = up(v);
            for (int step = 1; step <= 3; step++) {
                float[] g = uniform(n, 17 + step, 0.5f);
                g[1] = 0f;
                if (step == 2) g[2] = 1e-30f;  // a v near zero: the denominator leans on eps
                double c1 = 1 - Math.pow(beta1, step), c2 = 1 - Math.pow(beta2, step);
                AdamStep s = new AdamStep(beta1, beta2, eps, weightDecay, decoupled, (float) (lr / c1), 1 - lr * weightDecay, Math.sqrt(c2));
                REF.adamStep(w(wt), w(g), w(m), w(v), s);
                ops.adamStep(dw, up(g), dm, dv, s);
                String what = String.format("adamStep %d %s step %d", n,
                        mode == 0 ? "decoupled decay" : mode == 1 ? "coupled decay" : "no decay", step);
                add(what + " w", wt, down(dw), 0);
                add(what + " m", m, down(dm), 0);
                add(what + " v", v, down(dv), 0);
            }
        }
        float[][] settings = {{0f, 0f, 0f, 0f}, {0f, 0f, 1e-2f, 0f}, {0.9f, 0.1f, 0f, 0f}, {0.9f, 0f, 5e-3f, 1f}};
        for (float[] set : settings) {
            float momentum = set[0];
            float[] wt = uniform(n, 30, 1f), buf = new float[n];
            Tensor dw = up(wt), dbuf = momentum == 0 ? null : ops.zeros(n);
            for (int step = 1; step <= 3; step++) {
                float[] g = uniform(n, 30 + step, 0.5f);
                SgdStep s = new SgdStep(0.05f, momentum, set[1], set[2], set[3] != 0, step == 1);
                REF.sgdStep(w(wt), w(g), momentum == 0 ? null : w(buf), s);
                ops.sgdStep(dw, up(g), dbuf, s);
                String what = String.format("sgdStep %d momentum %s dampening %s decay %s%s step %d", n, set[0], set[1], set[2],
                        set[3] != 0 ? " nesterov" : "", step);
                add(what + " w", wt, down(dw), 0);
                if (dbuf != null) add(what + " momentum", buf, down(dbuf), 0);
            }
        }
        for (int size : new int[] {0, 1, 1000, large ? 4_000_001 : 300_001}) {
            float[] g = uniform(size, 40, 1f);
            addDoubles("sumOfSquares " + size, new double[] {REF.sumOfSquares(w(g))}, new double[] {ops.sumOfSquares(up(g))},
                    Math.max(size, 1) * 0x1p-53);
        }
    }
}
