package ser.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ser.autograd.kernels.TrainingOps.AdamStep;
import ser.autograd.kernels.TrainingOps.SgdStep;
import ser.tensor.Backends;
import ser.tensor.Parallel;
import ser.tensor.Tensor;

/**
 * The element-wise, pooling, loss and optimiser methods of {@link TrainingOps} on every backend present that can
 * train ({@link HostTrainingOps#of} succeeds: the SIMD kernels, and a device backend such as CUDA, emulated or not),
 * against {@link HostTrainingOps#REFERENCE}, as the autograd ops call them: inputs {@linkplain TrainingOps#upload
 * uploaded}, outputs {@linkplain TrainingOps#zeros allocated} by the backend, results downloaded. Edge cases where
 * the semantics are a choice: ReLU at 0 and at NaN, padded and empty sequences, class weights with smoothing, Adam's
 * two weight decays, SGD's first step, dampening and Nesterov.
 *
 * <p>Tolerances: exact where the host rounds each step and the backend must too; otherwise a few float ulps of each
 * value plus a small fraction of the largest magnitude (a backend may flush tiny gradients to zero).
 */
class PointwiseTrainingOpsParityTest {

    private static final Parallel POOL = new Parallel(2);
    private static final TrainingOps REF = HostTrainingOps.REFERENCE;
    private static final int[] SIZES = {1, 7, 1023, 4099};

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    /** A backend and its training ops, named as the backend. */
    record Trainer(String name, TrainingOps ops) {
        @Override public String toString() { return name; }
    }

    static List<Trainer> backends() {
        List<Trainer> trainers = new ArrayList<>();
        for (Backends.Backend b : Backends.fast(POOL)) {
            try {
                trainers.add(new Trainer(b.name(), HostTrainingOps.of(b.ops())));
            } catch (UnsupportedOperationException cannotTrain) {
                // a backend without training kernels (the engine's off-heap test backend): nothing to hold here
            }
        }
        return trainers;
    }

    @Test
    void someBackendTrains() {
        assertFalse(backends().isEmpty(), "no backend with training ops: the SIMD one at least");
    }

    // ---- element-wise -----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void reluBackwardPassesWherePositiveOnlyZeroAndNanGiveZero(Trainer t) {
        for (int n : SIZES) {
            float[] x = edges(random(n, 1, 3f)), dy = random(n, 2, 1f);
            if (n > 4) dy[4] = Float.NaN;  // where x > 0 (edges), it passes
            float[] expected = new float[n];
            REF.reluBackward(wrap(x), wrap(dy), wrap(expected));
            close("reluBackward " + n, expected, run(t, n, o -> t.ops().reluBackward(up(t, x), up(t, dy), o)), 0, 0);
        }
        float[] at = {0f, -0f, Float.NaN, 1e-45f, -1e-45f, Float.POSITIVE_INFINITY};
        float[] ones = {1f, 1f, 1f, 1f, 1f, 1f};
        float[] expected = new float[6];
        REF.reluBackward(wrap(at), wrap(ones), wrap(expected));
        exactly("the reference at the kink", new float[] {0f, 0f, 0f, 1f, 0f, 1f}, expected);
        exactly("reluBackward at the kink", expected, run(t, 6, o -> t.ops().reluBackward(up(t, at), up(t, ones), o)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void geluBackward(Trainer t) {
        for (int n : SIZES) {
            float[] x = edges(random(n, 3, 6f)), dy = random(n, 4, 1f);
            if (n > 8) x[8] = -15f;  // a derivative near float's underflow
            float[] expected = new float[n];
            REF.geluBackward(wrap(x), wrap(dy), wrap(expected));
            close("geluBackward " + n, expected, run(t, n, o -> t.ops().geluBackward(up(t, x), up(t, dy), o)), 2e-7f, 1e-7f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void tanhForwardAndBackward(Trainer t) {
        for (int n : SIZES) {
            float[] x = edges(random(n, 5, 4f)), dy = random(n, 6, 1f);
            float[] y = new float[n], dx = new float[n];
            REF.tanhForward(wrap(x), wrap(y));
            close("tanhForward " + n, y, run(t, n, o -> t.ops().tanhForward(up(t, x), o)), 2e-7f, 0);
            REF.tanhBackward(wrap(y), wrap(dy), wrap(dx));
            exactly("tanhBackward " + n, dx, run(t, n, o -> t.ops().tanhBackward(up(t, y), up(t, dy), o)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gatedMixForwardAndBackward(Trainer t) {
        TrainingOps ops = t.ops();
        for (int n : SIZES) {
            float[] z = edges(random(n, 7, 8f)), a = random(n, 8, 2f), b = random(n, 9, 2f), dy = random(n, 10, 1f);
            if (n > 6) z[6] = -120f;  // σ far in either tail, without overflow
            if (n > 7) z[7] = 120f;
            float[] gate = new float[n], y = new float[n];
            REF.gatedMixForward(wrap(z), wrap(a), wrap(b), wrap(gate), wrap(y));
            Tensor g = ops.zeros(n), out = ops.zeros(n);
            ops.gatedMixForward(up(t, z), up(t, a), up(t, b), g, out);
            close("gate " + n, gate, host(t, g), 1.2e-7f, 0);
            close("gatedMix " + n, y, host(t, out), 2.4e-7f, 1e-7f);

            float[] dz = new float[n], da = new float[n], db = new float[n];
            REF.gatedMixBackward(wrap(gate), wrap(a), wrap(b), wrap(dy), wrap(dz), wrap(da), wrap(db));
            Tensor odz = ops.zeros(n), oda = ops.zeros(n), odb = ops.zeros(n);
            ops.gatedMixBackward(up(t, gate), up(t, a), up(t, b), up(t, dy), odz, oda, odb);
            exactly("gatedMix dz " + n, dz, host(t, odz));
            exactly("gatedMix da " + n, da, host(t, oda));
            exactly("gatedMix db " + n, db, host(t, odb));
        }
    }

    // ---- sequences --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void timeMeanOverRealFramesWithAndWithoutMask(Trainer t) {
        int n = 4, steps = 6, d = 37;
        float[] x = random(n * steps * d, 11, 2f), dy = random(n * d, 12, 1f);
        int[] lengths = {6, 3, 1, 5};
        float[] mask = new float[n * steps];
        for (int i = 0; i < n; i++) for (int s = 0; s < lengths[i]; s++) mask[i * steps + s] = 1f;
        x[(1 * steps + 4) * d + 2] = Float.NaN;  // in a padded frame: 0·NaN is NaN in the reference, so here too
        for (float[] m : new float[][] {null, mask}) {
            String what = m == null ? "no mask" : "mask";
            float[] y = new float[n * d], dx = new float[n * steps * d];
            REF.timeMeanForward(n, steps, d, wrap(x), m == null ? null : wrap(m), wrap(y));
            close("timeMeanForward " + what, y,
                    run(t, n * d, o -> t.ops().timeMeanForward(n, steps, d, up(t, x), m == null ? null : up(t, m), o)),
                    1.2e-7f, 1e-7f);
            REF.timeMeanBackward(n, steps, d, m == null ? null : wrap(m), wrap(dy), wrap(dx));
            close("timeMeanBackward " + what, dx,
                    run(t, n * steps * d, o -> t.ops().timeMeanBackward(n, steps, d, m == null ? null : up(t, m), up(t, dy), o)),
                    1.2e-7f, 0);
        }
        float[] empty = mask.clone();
        for (int s = 0; s < steps; s++) empty[2 * steps + s] = 0f;
        assertThrows(IllegalArgumentException.class, () -> REF.timeMeanForward(n, steps, d, wrap(x), wrap(empty), wrap(new float[n * d])));
        assertThrows(IllegalArgumentException.class,
                () -> t.ops().timeMeanForward(n, steps, d, up(t, x), up(t, empty), t.ops().zeros(n, d)),
                "a sequence without a real frame");
        assertThrows(IllegalArgumentException.class,
                () -> t.ops().timeMeanBackward(n, steps, d, up(t, empty), up(t, dy), t.ops().zeros(n, steps, d)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void layerMixForwardAndBackward(Trainer t) {
        TrainingOps ops = t.ops();
        int n = 3, layers = 5, rest = 2 * 33;
        float[] x = random(n * layers * rest, 13, 3f), dy = random(n * rest, 14, 1f);
        double[] p = new double[layers];
        double z = 0;
        Random r = new Random(15);
        for (int l = 0; l < layers; l++) z += p[l] = Math.exp(r.nextGaussian());
        for (int l = 0; l < layers; l++) p[l] /= z;

        float[] y = new float[n * rest];
        REF.layerMixForward(n, layers, rest, wrap(x), p, wrap(y));
        exactly("layerMixForward", y, run(t, n * rest, o -> ops.layerMixForward(n, layers, rest, up(t, x), p, o)));

        float[] dx = new float[n * layers * rest];
        double[] dp = new double[layers], actualDp = {Double.NaN, 1, 2, 3, 4};  // overwritten, not added to
        REF.layerMixBackward(n, layers, rest, wrap(x), p, wrap(dy), wrap(dx), dp);
        exactly("layerMixBackward dx", dx,
                run(t, dx.length, o -> ops.layerMixBackward(n, layers, rest, up(t, x), p, up(t, dy), o, actualDp)));
        closeDoubles("layerMixBackward dp", dp, actualDp, 1e-12);
        double[] withoutDx = new double[layers];
        ops.layerMixBackward(n, layers, rest, up(t, x), p, up(t, dy), null, withoutDx);
        closeDoubles("layerMixBackward dp without dx", dp, withoutDx, 1e-12);
    }

    // ---- loss -------------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void crossEntropyWithWeightsAndSmoothing(Trainer t) {
        int n = 9, c = 5;
        float[] logits = random(n * c, 16, 4f);
        logits[3 * c + 1] = 90f;  // a confident row: gradients like e^-90 that a backend may flush
        int[] targets = {0, 4, 2, 1, 3, 3, 0, 2, 4};
        float[] classWeights = {0.5f, 2f, 1f, 0.25f, 3f};
        float upstream = 0.7f;
        for (float[] w : new float[][] {null, classWeights}) {
            for (double smoothing : new double[] {0, 0.1}) {
                String what = (w == null ? "unweighted" : "weighted") + ", smoothing " + smoothing;
                float expected = REF.crossEntropyForward(n, c, wrap(logits), targets, w, smoothing);
                float actual = t.ops().crossEntropyForward(n, c, up(t, logits), targets, w, smoothing);
                close("crossEntropyForward " + what, new float[] {expected}, new float[] {actual}, 2.4e-7f, 0);
                float[] grad = new float[n * c];
                REF.crossEntropyBackward(n, c, wrap(logits), targets, w, smoothing, upstream, wrap(grad));
                close("crossEntropyBackward " + what, grad, run(t, n * c,
                        o -> t.ops().crossEntropyBackward(n, c, up(t, logits), targets, w, smoothing, upstream, o)),
                        2.4e-7f, 1e-7f);
            }
        }
    }

    // ---- optimisers -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void adamStepsWithDecoupledCoupledAndNoWeightDecay(Trainer t) {
        TrainingOps ops = t.ops();
        int n = 1029;
        float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        for (int mode = 0; mode < 3; mode++) {
            float weightDecay = mode == 2 ? 0f : 0.01f;
            boolean decoupled = mode == 0;
            float[] w = random(n, 17, 1f), m = new float[n], v = new float[n];
            w[0] = 0f;
            Tensor dw = up(t, w), dm = up(t, m), dv = up(t, v);
            for (int step = 1; step <= 3; step++) {
                float[] g = random(n, 17 + step, 0.5f);
                g[1] = 0f;
                if (step == 2) g[2] = 1e-30f;  // a v near zero: the denominator leans on eps
                double correction1 = 1 - Math.pow(beta1, step), correction2 = 1 - Math.pow(beta2, step);
                AdamStep s = new AdamStep(beta1, beta2, eps, weightDecay, decoupled, (float) (lr / correction1),
                        1 - lr * weightDecay, Math.sqrt(correction2));
                REF.adamStep(wrap(w), wrap(g), wrap(m), wrap(v), s);
                ops.adamStep(dw, up(t, g), dm, dv, s);
                String what = "adam mode " + mode + " step " + step;
                exactly(what + " w", w, host(t, dw));
                exactly(what + " m", m, host(t, dm));
                exactly(what + " v", v, host(t, dv));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sgdStepsWithAndWithoutMomentum(Trainer t) {
        TrainingOps ops = t.ops();
        int n = 1029;
        // plain; weight decay; momentum with dampening; Nesterov with weight decay
        float[][] settings = {{0f, 0f, 0f, 0f}, {0f, 0f, 1e-2f, 0f}, {0.9f, 0.1f, 0f, 0f}, {0.9f, 0f, 5e-3f, 1f}};
        for (float[] set : settings) {
            float momentum = set[0], dampening = set[1], weightDecay = set[2];
            boolean nesterov = set[3] != 0;
            float[] w = random(n, 30, 1f), buf = new float[n];
            Tensor dw = up(t, w), dbuf = momentum == 0 ? null : ops.zeros(n);
            for (int step = 1; step <= 3; step++) {
                float[] g = random(n, 30 + step, 0.5f);
                SgdStep s = new SgdStep(0.05f, momentum, dampening, weightDecay, nesterov, step == 1);
                REF.sgdStep(wrap(w), wrap(g), momentum == 0 ? null : wrap(buf), s);
                ops.sgdStep(dw, up(t, g), dbuf, s);
                String what = "sgd " + java.util.Arrays.toString(set) + " step " + step;
                exactly(what + " w", w, host(t, dw));
                if (dbuf != null) exactly(what + " momentum", buf, host(t, dbuf));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void sumOfSquaresInDouble(Trainer t) {
        for (int n : new int[] {0, 1, 1000, 300_001}) {
            float[] g = random(n, 40, 1f);
            double expected = REF.sumOfSquares(wrap(g)), actual = t.ops().sumOfSquares(up(t, g));
            // double sums of n terms in any order: within n·2⁻⁵³ of the sum of magnitudes (all positive here)
            closeDoubles("sumOfSquares " + n, new double[] {expected}, new double[] {actual}, Math.max(n, 1) * 0x1p-53);
        }
        float[] huge = {1e20f, -3e19f};  // squares that overflow a float
        assertEquals(REF.sumOfSquares(wrap(huge)), t.ops().sumOfSquares(up(t, huge)), 1e27, "sumOfSquares past float");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private interface Into { void run(Tensor out); }

    /** Runs {@code op} into a zeroed output of the backend, and downloads it. */
    private static float[] run(Trainer t, int n, Into op) {
        Tensor out = t.ops().zeros(n);
        op.run(out);
        return host(t, out);
    }

    private static Tensor up(Trainer t, float[] v) {
        return t.ops().upload(Tensor.wrap(v.clone(), v.length));
    }

    private static Tensor wrap(float[] v) {
        return Tensor.wrap(v, v.length);
    }

    private static float[] host(Trainer t, Tensor x) {
        float[] out = new float[(int) x.size()];
        t.ops().download(x, out);
        return out;
    }

    /** Values in ±scale, deterministic. */
    private static float[] random(int n, long seed, float scale) {
        Random r = new Random(seed);
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

    private static void exactly(String what, float[] expected, float[] actual) {
        close(what, expected, actual, 0, 0);
    }

    /** Within {@code rel} of each value plus {@code ofMax} of the largest magnitude expected; NaN where NaN. */
    private static void close(String what, float[] expected, float[] actual, float rel, float ofMax) {
        assertEquals(expected.length, actual.length, what);
        float max = 0;
        for (float e : expected) if (Float.isFinite(e)) max = Math.max(max, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;
            float bound = rel * Math.abs(expected[i]) + ofMax * max;
            if (!(expected[i] == actual[i] || Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(what + " [" + i + "]: " + actual[i] + ", expected " + expected[i] + " ± " + bound);
            }
        }
    }

    private static void closeDoubles(String what, double[] expected, double[] actual, double rel) {
        assertEquals(expected.length, actual.length, what);
        double max = 0;
        for (double e : expected) max = Math.max(max, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= rel * max)) {
                fail(what + " [" + i + "]: " + actual[i] + ", expected " + expected[i] + " ± " + rel * max);
            }
        }
    }
}
