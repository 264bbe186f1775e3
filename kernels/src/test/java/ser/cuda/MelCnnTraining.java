package ser.cuda;

import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.autograd.kernels.TrainingOps;
import ser.nn.MelCnn;
import ser.tensor.Tensor;
import ser.train.optim.Adam;
import ser.train.optim.GradientClipping;
import ser.train.optim.Optimizer;
import ser.train.optim.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Mel CNN ({@link MelCnn}, 4 classes, dropout 0.2) trained on one {@link TrainingOps} backend, for
 * {@link GpuCheck}'s {@code training} and {@code train-bench} sections: the model from a fixed seed, a fixed
 * sequence of random log-Mel batches (dB-like values, -40 ± 15) and targets, and one training step as the trainer
 * takes it: forward, cross-entropy, backward, gradient clipping to norm 1, the optimiser's step. The same seed on
 * two backends gives the same initial weights, the same batches and the same dropout masks (drawn on the host).
 */
final class MelCnnTraining {

    static final int CLASSES = 4;
    static final long MODEL_SEED = 3, DATA_SEED = 9;

    /** SGD with momentum 0.9, weight decay 1e-4 (linear in the gradient); Adam as {@code torch.optim.Adam}'s defaults. */
    enum Optimiser {
        SGD(1e-2), ADAM(1e-3);

        final double lr;

        Optimiser(double lr) { this.lr = lr; }

        Optimizer of(MelCnn model) {
            return this == SGD ? new Sgd(model.parameters(), lr, 0.9, 0, 1e-4, false) : new Adam(model.parameters(), lr);
        }
    }

    /** A run's losses (before each step's update) and the parameters after its last step. */
    record Run(float[] losses, Map<String, Tensor> state) {}

    private final MelCnn model;
    private final Optimizer optimizer;
    private final TrainingOps ops;

    MelCnnTraining(TrainingOps ops, Optimiser optimiser) {
        this.ops = ops;
        this.model = new MelCnn(CLASSES, new SplittableRandom(MODEL_SEED));
        model.to(ops);
        this.optimizer = optimiser.of(model);
    }

    /** A batch of {@code batch} inputs [batch, 1, 128, 151] and its targets from {@code r}. */
    record Batch(Tensor input, int[] targets) {}

    static Batch batch(SplittableRandom r, int batch) {
        float[] x = new float[batch * MelCnn.MELS * MelCnn.FRAMES];
        for (int i = 0; i < x.length; i++) x[i] = (float) (-40 + 15 * r.nextGaussian());
        int[] targets = new int[batch];
        for (int i = 0; i < batch; i++) targets[i] = r.nextInt(CLASSES);
        return new Batch(Tensor.wrap(x, batch, 1, MelCnn.MELS, MelCnn.FRAMES), targets);
    }

    /** The fixed batch sequence of a run: {@code steps} batches from {@link #DATA_SEED}. */
    static List<Batch> batches(int steps, int batch) {
        SplittableRandom r = new SplittableRandom(DATA_SEED);
        List<Batch> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) out.add(batch(r, batch));
        return out;
    }

    /**
     * One step; returns the loss. The loss reaches the host during the forward pass ({@code crossEntropyForward}
     * returns it), so the step ends with a download of the classifier's bias, queued after the optimiser's updates:
     * when it returns, the GPU's work of the step is done.
     */
    float step(Batch b) {
        optimizer.zeroGrad();
        Variable logits = model.forward(Variable.constant(ops, ops.upload(b.input())));
        Variable loss = CrossEntropy.loss(ops, logits, b.targets(), null, 0.0);
        loss.backward();
        GradientClipping.clipGlobalNorm(model.parameters(), 1.0);
        optimizer.step();
        float value = loss.hostData().getFlat(0);
        Variable bias = model.namedParameters().get("fc.bias");
        ops.download(bias.data(), new float[Math.toIntExact(bias.data().size())]);
        return value;
    }

    /** {@code batches.size()} steps from the model's initial weights. */
    static Run run(TrainingOps ops, Optimiser optimiser, List<Batch> batches) {
        MelCnnTraining t = new MelCnnTraining(ops, optimiser);
        float[] losses = new float[batches.size()];
        for (int s = 0; s < losses.length; s++) losses[s] = t.step(batches.get(s));
        return new Run(losses, t.model.stateDict());
    }

    /** Worst |difference| over max |reference| of each state tensor, the worst of them; and which. */
    static Object[] worstState(Map<String, Tensor> want, Map<String, Tensor> got) {
        double worst = 0;
        String at = "";
        for (String name : want.keySet()) {
            float[] w = want.get(name).toArray(), g = got.get(name).toArray();
            double max = 0, err = 0;
            for (int i = 0; i < w.length; i++) {
                max = Math.max(max, Math.abs(w[i]));
                double d = Math.abs((double) w[i] - g[i]);
                if (!(d <= err)) err = d;
            }
            double rel = err / Math.max(max, 1e-12);
            if (!(rel <= worst)) {
                worst = rel;
                at = name;
            }
        }
        return new Object[] {worst, at};
    }

    /** Wall milliseconds of each of {@code repeats} steps on one fixed batch, after {@code warmup} steps. */
    static double[] stepMillis(TrainingOps ops, Optimiser optimiser, int batch, int warmup, int repeats) {
        MelCnnTraining t = new MelCnnTraining(ops, optimiser);
        Batch b = batch(new SplittableRandom(DATA_SEED + batch), batch);
        for (int i = 0; i < warmup; i++) t.step(b);
        double[] ms = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            t.step(b);
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static double median(double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
