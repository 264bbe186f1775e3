package ser.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.tensor.Backends;
import ser.tensor.Parallel;
import ser.tensor.Tensor;
import ser.train.optim.Optimizer;
import ser.train.optim.Sgd;
import ser.train.optim.GradientClipping;

/**
 * Two Mel CNN training steps (forward with dropout, cross-entropy, backward, gradient clipping, SGD with momentum) on every
 * training backend present, against the same steps on {@link HostTrainingOps#REFERENCE}: the CPU's SIMD kernels, and
 * any device backend that {@link Backends} finds (on kernels' test class path, CUDA on the emulated GPU; on a
 * machine with one, the real GPU). Compared: the loss, the logits, every gradient, the running statistics and the
 * parameters after the updates, each to a tolerance relative to its largest magnitude.
 */
class MelCnnStepBackendsTest {

    private static final Parallel POOL = new Parallel(2);
    private static final int BATCH = 2;
    private static final double LR = 1e-2;

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    /** Every backend that can train, but the reference itself. */
    static List<TrainingOps> backends() {
        List<TrainingOps> out = new ArrayList<>();
        out.add(HostTrainingOps.SIMD);
        for (Backends.Backend b : Backends.fast(POOL)) {
            if (b.onCpu()) continue; // the host backends train on the same kernels as SIMD
            try {
                out.add(HostTrainingOps.of(b.ops()));
            } catch (UnsupportedOperationException notATrainingBackend) {
                // a test backend of Ops only (OffHeapOps)
            }
        }
        return out;
    }

    private record Step(float loss, float[] logits, Map<String, float[]> grads) {}

    /**
     * SGD with momentum and weight decay: its update is linear in the gradient, so the parameters after it differ
     * between backends as the gradients do. Adam's update divides each gradient by its own root mean square, which
     * turns rounding in a near-zero gradient into a difference of up to lr; {@code PointwiseTrainingOpsParityTest}
     * checks Adam's update itself on each backend.
     */
    private static Optimizer sgd(MelCnn model) {
        return new Sgd(model.parameters(), LR, 0.9, 0, 1e-4, false);
    }

    private static Step step(MelCnn model, Optimizer optimizer, Tensor input, int[] targets) {
        optimizer.zeroGrad();
        Variable logits = model.forward(Variable.constant(model.ops(), model.ops().upload(input)));
        Variable loss = CrossEntropy.loss(model.ops(), logits, targets, null, 0.1);
        loss.backward();
        Map<String, float[]> grads = new java.util.LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> grads.put(name, p.ops().download(p.grad()).toArray()));
        GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
        optimizer.step();
        return new Step(loss.hostData().getFlat(0), logits.hostData().toArray(), grads);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void twoTrainingStepsMatchTheReference(TrainingOps ops) {
        MelCnn reference = new MelCnn(4, new SplittableRandom(3)), model = new MelCnn(4, new SplittableRandom(3));
        reference.to(HostTrainingOps.REFERENCE);
        model.to(ops);
        assertTrue(model.ops() == ops);
        Optimizer sgdReference = sgd(reference), sgd = sgd(model);
        SplittableRandom r = new SplittableRandom(9);
        int[] targets = {1, 3};
        for (int s = 0; s < 2; s++) {
            float[] x = new float[BATCH * MelCnn.MELS * MelCnn.FRAMES];
            for (int i = 0; i < x.length; i++) x[i] = (float) (-40 + 15 * r.nextGaussian());
            Tensor input = Tensor.wrap(x, BATCH, 1, MelCnn.MELS, MelCnn.FRAMES);
            Step want = step(reference, sgdReference, input, targets), got = step(model, sgd, input, targets);
            assertEquals(want.loss(), got.loss(), 1e-4 * Math.max(1, Math.abs(want.loss())), "loss, step " + s);
            assertClose("logits, step " + s, want.logits(), got.logits(), 1e-4, maxAbs(want.logits()));
            for (String name : want.grads().keySet()) {
                // A convolution's bias gradient is zero but for rounding (batch norm follows): held to the scale of
                // its weight's gradient instead of its own.
                String scaleOf = name.matches("conv\\d\\.bias") ? name.replace("bias", "weight") : name;
                assertClose(name + " gradient, step " + s, want.grads().get(name), got.grads().get(name), 2e-3,
                        maxAbs(want.grads().get(scaleOf)));
            }
        }
        Map<String, Tensor> want = reference.stateDict(), got = model.stateDict();
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            float[] w = want.get(name).toArray(), g = got.get(name).toArray();
            assertClose(name + " after two updates", w, g, 1e-4, maxAbs(w));
        }
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    /** Element-wise to {@code relative} of {@code scale}. */
    private static void assertClose(String what, float[] want, float[] got, double relative, double scale) {
        assertEquals(want.length, got.length, what);
        double bound = relative * Math.max(scale, 1e-12), worst = 0;
        int at = -1;
        for (int i = 0; i < want.length; i++) {
            double e = Math.abs((double) want[i] - got[i]);
            if (!(e <= worst)) {
                worst = e;
                at = i;
            }
        }
        assertTrue(worst <= bound, what + ": " + worst + " at " + at + " (want " + (at < 0 ? "" : want[at]) + ", got "
                + (at < 0 ? "" : got[at]) + ") over the bound " + bound);
    }
}
