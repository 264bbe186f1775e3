package ser.train;

import ser.SerException;
import ser.autograd.CrossEntropy;
import ser.autograd.Variable;
import ser.autograd.kernels.HostTrainingOps;
import ser.autograd.kernels.TrainingOps;
import ser.eval.ClassificationMetrics;
import ser.eval.ConfusionMatrix;
import ser.features.Examples;
import ser.model.Inference;
import ser.model.InputBatch;
import ser.model.Model;
import ser.model.ModelBuilder;
import ser.run.AugmentConfig;
import ser.run.EpochRecord;
import ser.run.RunDirectory;
import ser.run.TrainConfig;
import ser.run.TrainingConfig;
import ser.train.optim.Adam;
import ser.train.optim.AdamW;
import ser.train.optim.GradientClipping;
import ser.train.optim.Optimizer;
import ser.train.optim.Schedule;
import ser.train.optim.Sgd;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Arrays;
import java.util.ArrayList;

/**
 * The training loop of one run: seeded batches, augmentation, a forward and backward pass and an optimiser step
 * per batch, validation after each epoch, the best and last checkpoints, early stopping.
 *
 * <p>Determinism: every random choice (initial weights, batch order, dropout masks, SpecAugment masks, mixup) is
 * drawn from a generator seeded by (run seed, stream, epoch, step), and the kernels sum in a fixed order, so the
 * same config and data give bit-identical weights on the same machine. Resuming restores weights, optimiser
 * moments and the step counters from {@code last.safetensors} and continues with the very draws an unbroken run
 * would make: the result is the same, bit for bit, wherever the run was killed.
 */
public final class Trainer {

    private final TrainConfig config;
    private final TrainingConfig t;
    private final List<String> labels;
    private final Examples train, val;
    private final RunDirectory run;
    private final TrainingListener listener;
    private final Model model;
    private final Optimizer optimizer;
    private final Schedule schedule;
    private final float[] classWeights;
    private final int stepsPerEpoch;
    private final double[] sampleWeights;

    /** A trainer of the recipe's model on the CPU. */
    public Trainer(TrainConfig config, List<String> labels, Examples train, Examples val, RunDirectory run,
                   TrainingListener listener) {
        this(config, labels, train, val, run, listener, HostTrainingOps.SIMD);
    }

    /**
     * A trainer of the recipe's model on {@code ops}'s backend: the model's parameters, its forward and backward
     * passes and the optimiser's updates all live there; batches are put together (and augmented) on the host and
     * uploaded.
     */
    public Trainer(TrainConfig config, List<String> labels, Examples train, Examples val, RunDirectory run,
                   TrainingListener listener, TrainingOps ops) {
        if (train.size() == 0) throw new SerException("the training part of the split is empty");
        this.config = config;
        this.t = config.training();
        this.labels = List.copyOf(labels);
        this.train = train;
        this.val = val;
        this.run = run;
        this.listener = listener;
        this.model = ModelBuilder.build(config.model(), train.shapes(), labels.size(), config.seed());
        model.to(ops);
        this.optimizer = optimizer(t, model.parameters());
        this.stepsPerEpoch = Batches.count(train.size(), t.batchSize());
        this.sampleWeights = config.data().sampleWeights(train.utterances());
        this.schedule = schedule(t, stepsPerEpoch);
        this.classWeights = t.classWeights().equals("balanced") ? balancedWeights(train.classCounts(labels.size())) : null;
        if ((config.augment().specAugment() || config.augment().spectral())
                && train.shapes().values().stream().noneMatch(Trainer::isSpectrogram)) {
            throw SerException.inFile(config.source(), "SpecAugment and augment.eq/warp/stretch need a spectrogram input [1, bands, frames], the "
                    + "features here are " + shapes(train));
        }
        if (config.augment().room() && train.deferred().isEmpty()) {
            throw SerException.inFile(config.source(), "augment.noise, babble, reverb and band_limit act on a log-Mel "
                    + "input, the features here are " + shapes(train));
        }
        if (!train.deferred().isEmpty() && !train.deferred().keySet().stream().allMatch(k -> isSpectrogram(train.shapes().get(k)))) {
            throw new IllegalArgumentException("deferred normalisation is for log-Mel inputs [1, bands, frames]");
        }
        if (config.augment().mixup() > 0 && train.shapes().values().stream().anyMatch(s -> InputBatch.framesAxis(s) >= 0)) {
            throw SerException.inFile(config.source(), "mixup needs inputs of one size, but the frames of " + shapes(train)
                    + " vary per utterance (pool: mean, or augment.mixup: 0)");
        }
    }

    /** A log-Mel image, {@code [1, bands, frames]}: what SpecAugment masks. */
    private static boolean isSpectrogram(int[] shape) {
        return shape.length == 3 && shape[0] == 1 && InputBatch.framesAxis(shape) < 0;
    }

    private static String shapes(Examples examples) {
        StringBuilder b = new StringBuilder();
        examples.shapes().forEach((name, s) -> b.append(b.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(Arrays.toString(s).replace("-1", "t")));
        return b.toString();
    }

    public Model model() {
        return model;
    }

    /**
     * Trains to the end (all epochs, or early stopping) and returns the final state; with {@code resume}, first
     * restores {@code last.safetensors}. The model is left with the last epoch's weights.
     */
    public TrainerState run(boolean resume) {
        TrainerState state = TrainerState.start();
        if (resume && Files.isRegularFile(run.last())) {
            state = Checkpoints.readLast(run.last(), model, optimizer);
            run.writeMetrics(state.history());
            run.log("resumed at epoch " + (state.epoch() + 1) + ", step " + state.step() + " of " + stepsPerEpoch);
        }
        while (state.epoch() < t.epochs() && !state.stopped()) state = epoch(state);
        return state;
    }

    private TrainerState epoch(TrainerState s) {
        long start = System.nanoTime();
        int epoch = s.epoch();
        int[] order = sampleWeights == null ? Batches.order(config.seed(), epoch, train.size())
                : Batches.weightedOrder(config.seed(), epoch, sampleWeights);
        listener.epochStarted(epoch + 1, t.epochs(), stepsPerEpoch, s.step());
        double lossSum = s.lossSum();
        long correct = s.correct(), seen = s.seen(), globalStep = s.globalStep();
        for (int step = s.step(); step < stepsPerEpoch; step++) {
            int from = step * t.batchSize(), to = Math.min(from + t.batchSize(), train.size());
            double lr = schedule.at(Math.toIntExact(globalStep));
            StepResult r = step(epoch, step, order, from, to, lr);
            lossSum += r.loss * (to - from);
            correct += r.correct;
            seen += to - from;
            globalStep++;
            if (t.checkpointEvery() > 0 && globalStep % t.checkpointEvery() == 0 && step + 1 < stepsPerEpoch) {
                Checkpoints.writeLast(run.last(), model, optimizer, new TrainerState(epoch, step + 1, globalStep,
                        lossSum, correct, seen, s.history(), s.bestEpoch(), s.bestScore(), false));
            }
            listener.stepFinished(lossSum / seen, (double) correct / seen);
        }

        double[] v = validate();
        double lastLr = schedule.at(Math.toIntExact(globalStep - 1));
        EpochRecord record = new EpochRecord(epoch + 1, lossSum / seen, (double) correct / seen, v[0], v[1], v[2],
                lastLr, (System.nanoTime() - start) / 1e9);
        List<EpochRecord> history = new ArrayList<>(s.history());
        history.add(record);
        double score = record.score(t.monitor());
        boolean best = val.size() == 0 || s.bestEpoch() == 0 || t.improves(score, s.bestScore());
        int bestEpoch = best ? epoch + 1 : s.bestEpoch();
        double bestScore = best ? score : s.bestScore();
        boolean stop = t.patience() > 0 && epoch + 1 - bestEpoch >= t.patience() && epoch + 1 < t.epochs();
        TrainerState next = new TrainerState(epoch + 1, 0, globalStep, 0, 0, 0, history, bestEpoch, bestScore, stop);

        // Best before last: a kill in between resumes from the previous epoch, which reruns this one identically.
        if (best) Checkpoints.writeBest(run.best(), model, epoch + 1, t.monitor(), score);
        Checkpoints.writeLast(run.last(), model, optimizer, next);
        run.writeMetrics(history);
        run.log(describe(record, best));
        model.layerMixtures().forEach((name, w) -> run.log("layer weights of " + name + ": " + percentages(w)));
        if (stop) run.log("early stop: no better " + t.monitor() + " for " + t.patience() + " epochs");
        listener.epochFinished(record, best);
        return next;
    }

    private record StepResult(double loss, int correct) {}

    private StepResult step(int epoch, int step, int[] order, int from, int to, double lr) {
        int n = to - from;
        Map<String, InputBatch> x = train.batch(order, from, to);
        int[] y = Batches.labels(train, order, from, to);
        SplittableRandom augment = new SplittableRandom(Batches.stream(config.seed(), Batches.AUGMENT, epoch, step));
        AugmentConfig a = config.augment();
        if (!train.deferred().isEmpty()) normalizeDeferred(x, n, a, augment);
        if (a.spectral()) {
            train.shapes().forEach((name, s) -> {
                if (isSpectrogram(s)) SpectralAugment.apply(x.get(name).values().heapArray(), n, s[1], s[2], a, augment);
            });
        }
        if (a.specAugment()) {
            train.shapes().forEach((name, s) -> {
                if (isSpectrogram(s)) SpecAugment.apply(x.get(name).values().heapArray(), n, s[1], s[2], a, augment);
            });
        }
        Mixup mix = a.mixup() > 0 ? Mixup.draw(n, a.mixup(), augment) : null;
        if (mix != null) x.values().forEach(b -> mix.blend(b.values().heapArray(), (int) (b.values().size() / n)));

        model.train();
        model.reseedDropout(Batches.stream(config.seed(), Batches.DROPOUT, epoch, step));
        optimizer.setLearningRate(lr);
        Variable logits = model.forward(x);
        Variable loss = mix == null ? CrossEntropy.loss(model.ops(), logits, y, classWeights, t.labelSmoothing())
                : mix.loss(model.ops(), logits, y, classWeights, t.labelSmoothing());
        float value = loss.hostData().getFlat(0);
        if (!Float.isFinite(value)) {
            throw new SerException("training diverged: loss " + value + " at epoch " + (epoch + 1) + ", step " + (step + 1)
                    + " (lower training.lr in " + config.source() + ")");
        }
        optimizer.zeroGrad();
        loss.backward();
        if (t.gradClip() > 0) GradientClipping.clipGlobalNorm(model.parameters(), t.gradClip());
        optimizer.step();

        float[] z = logits.hostData().heapArray();
        int classes = z.length / n, correct = 0;
        for (int i = 0; i < n; i++) {
            if (Inference.argmax(Arrays.copyOfRange(z, i * classes, (i + 1) * classes)) == y[i]) correct++;
        }
        return new StepResult(value, correct);
    }

    /**
     * The room effects on the raw decibels of each deferred log-Mel input, then each example's normalisation, so
     * that the batch reaches the model as validation inputs do.
     */
    private void normalizeDeferred(Map<String, InputBatch> x, int n, AugmentConfig a, SplittableRandom augment) {
        train.deferred().forEach((name, input) -> {
            float[] values = x.get(name).values().heapArray();
            int[] s = train.shapes().get(name);
            int bands = s[1], frames = s[2], size = bands * frames;
            float[] untouched = a.room() ? values.clone() : null;
            float[] one = new float[size];
            for (int b = 0; b < n; b++) {
                if (a.room()) RoomAugment.apply(values, untouched, n, b, bands, frames, input, a, augment);
                System.arraycopy(values, b * size, one, 0, size);
                input.normalize(one);
                System.arraycopy(one, 0, values, b * size, size);
            }
        });
    }

    /** {loss, accuracy, UAR} on the validation part; NaN for all three when it is empty. */
    private double[] validate() {
        if (val.size() == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN};
        float[][] logits = Inference.logits(model, val.inputs(), t.batchSize());
        int[] predicted = new int[logits.length];
        for (int i = 0; i < logits.length; i++) predicted[i] = Inference.argmax(logits[i]);
        ClassificationMetrics m = ClassificationMetrics.of(ConfusionMatrix.of(labels, val.labels(), predicted));
        return new double[] {Inference.crossEntropy(logits, val.labels()), m.accuracy(), m.uar()};
    }

    /** The recipe's optimiser ({@code training.optimizer}) over {@code parameters}. */
    static Optimizer optimizer(TrainingConfig t, List<Variable> parameters) {
        return switch (t.optimizer()) {
            case "adamw" -> new AdamW(parameters, t.lr(), 0.9, 0.999, 1e-8, t.weightDecay());
            case "sgd" -> new Sgd(parameters, t.lr(), t.momentum(), 0, t.weightDecay(), false);
            default -> new Adam(parameters, t.lr(), 0.9, 0.999, 1e-8, t.weightDecay());
        };
    }

    /** The learning rate of each optimiser step, for {@code stepsPerEpoch} steps an epoch. */
    static Schedule schedule(TrainingConfig t, int stepsPerEpoch) {
        int warmup = t.warmupEpochs() * stepsPerEpoch;
        return switch (t.schedule()) {
            case "cosine" -> Schedule.cosine(t.lr(), t.epochs() * stepsPerEpoch, t.minLr(), warmup);
            case "step" -> Schedule.step(t.lr(), t.stepEpochs() * stepsPerEpoch, t.gamma(), warmup);
            default -> Schedule.constant(t.lr(), warmup);
        };
    }

    /** n / (classes · count), as scikit-learn's "balanced"; a class absent from training keeps weight 1. */
    static float[] balancedWeights(long[] counts) {
        long n = Arrays.stream(counts).sum();
        float[] w = new float[counts.length];
        for (int c = 0; c < counts.length; c++) w[c] = counts[c] == 0 ? 1f : (float) ((double) n / (counts.length * counts[c]));
        return w;
    }

    /** A layer mixture as whole percentages, layer 0 first: which encoder layers the head listens to. */
    private static String percentages(double[] w) {
        StringBuilder b = new StringBuilder();
        for (double v : w) b.append(b.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f", 100 * v));
        return b + " (%, layer 0 first)";
    }

    private String describe(EpochRecord r, boolean best) {
        return String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.4f  val loss %.4f acc %.4f uar %.4f  lr %.3g  %.1f s%s",
                r.epoch(), t.epochs(), r.trainLoss(), r.trainAccuracy(), r.valLoss(), r.valAccuracy(), r.valUar(),
                r.learningRate(), r.seconds(), best ? "  (best " + t.monitor() + ")" : "");
    }
}
