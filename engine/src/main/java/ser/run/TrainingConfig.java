package ser.run;

import ser.config.ConfigNode;

import java.util.List;
import java.util.Map;

/**
 * The optimisation half of a recipe ({@code training:} in a train config).
 *
 * @param epochs         passes over the training set (fewer when early stopping ends the run)
 * @param batchSize      examples per step; the last batch of an epoch may be smaller
 * @param optimizer      {@code adam}, {@code adamw} or {@code sgd} (with {@code momentum})
 * @param lr             the peak learning rate
 * @param schedule       {@code constant}, {@code cosine} (to {@code min_lr}) or {@code step} (× {@code gamma}
 *                       every {@code step_epochs}), after {@code warmup_epochs} of linear warm-up
 * @param gradClip       global gradient-norm bound; 0 for none
 * @param labelSmoothing as PyTorch's {@code CrossEntropyLoss(label_smoothing)}
 * @param classWeights   {@code none}, or {@code balanced}: each class weighted by n / (classes · its count) in the
 *                       training part, as scikit-learn's {@code class_weight="balanced"}
 * @param monitor        the validation score that picks {@code best.safetensors} and drives early stopping:
 *                       {@code val_loss} (lower is better), {@code val_accuracy} or {@code val_uar}
 * @param patience       stop after this many epochs without a better monitored score; 0 never stops early
 * @param checkpointEvery also write {@code last} every this many steps inside an epoch; 0: at epoch ends only
 */
public record TrainingConfig(int epochs, int batchSize, String optimizer, double lr, double weightDecay,
                             double momentum, String schedule, int warmupEpochs, double minLr, int stepEpochs,
                             double gamma, double gradClip, double labelSmoothing, String classWeights,
                             String monitor, int patience, int checkpointEvery) {

    public static final List<String> OPTIMIZERS = List.of("adam", "adamw", "sgd");
    public static final List<String> SCHEDULES = List.of("constant", "cosine", "step");
    public static final List<String> MONITORS = List.of("val_loss", "val_accuracy", "val_uar");

    /** Larger batches than this do not fit any heap with the seed model; larger values are typos, not requests. */
    public static final int MAX_BATCH_SIZE = 65_536;
    /** The bound on every count of epochs (epochs, warmup_epochs, step_epochs, patience). */
    public static final int MAX_EPOCHS = 100_000;

    static TrainingConfig read(ConfigNode t) {
        String optimizer = t.choice("optimizer", "adam", OPTIMIZERS);
        String schedule = t.choice("schedule", "constant", SCHEDULES);
        TrainingConfig c = new TrainingConfig(
                t.integer("epochs", 20, 1, MAX_EPOCHS),
                t.integer("batch_size", 128, 1, MAX_BATCH_SIZE),
                optimizer,
                nonNegative(t, "lr", t.number("lr", 1e-3)),
                nonNegative(t, "weight_decay", t.number("weight_decay", optimizer.equals("adamw") ? 0.01 : 0)),
                optimizer.equals("sgd") ? nonNegative(t, "momentum", t.number("momentum", 0.9)) : 0,
                schedule,
                t.integer("warmup_epochs", 0, 0, MAX_EPOCHS),
                schedule.equals("cosine") ? nonNegative(t, "min_lr", t.number("min_lr", 0)) : 0,
                schedule.equals("step") ? t.integer("step_epochs", 10, 1, MAX_EPOCHS) : 0,
                schedule.equals("step") ? nonNegative(t, "gamma", t.number("gamma", 0.1)) : 0,
                nonNegative(t, "grad_clip", t.number("grad_clip", 0)),
                t.number("label_smoothing", 0),
                t.choice("class_weights", "none", List.of("none", "balanced")),
                t.choice("monitor", "val_loss", MONITORS),
                t.integer("patience", 0, 0, MAX_EPOCHS),
                t.integer("checkpoint_every", 0, 0, Integer.MAX_VALUE));
        if (c.labelSmoothing < 0 || c.labelSmoothing >= 1) {
            throw t.error("label_smoothing", "must be in [0, 1), got " + c.labelSmoothing);
        }
        return c;
    }

    /** True when {@code candidate} is a better monitored score than {@code best}. */
    public boolean improves(double candidate, double best) {
        return monitor.equals("val_loss") ? candidate < best : candidate > best;
    }

    Map<String, Object> toYaml() {
        Map<String, Object> m = Yamls.map("epochs", epochs, "batch_size", batchSize, "optimizer", optimizer, "lr", lr,
                "weight_decay", weightDecay);
        if (optimizer.equals("sgd")) m.put("momentum", momentum);
        m.put("schedule", schedule);
        m.put("warmup_epochs", warmupEpochs);
        if (schedule.equals("cosine")) m.put("min_lr", minLr);
        if (schedule.equals("step")) {
            m.put("step_epochs", stepEpochs);
            m.put("gamma", gamma);
        }
        m.putAll(Yamls.map("grad_clip", gradClip, "label_smoothing", labelSmoothing, "class_weights", classWeights,
                "monitor", monitor, "patience", patience, "checkpoint_every", checkpointEvery));
        return m;
    }

    private static double nonNegative(ConfigNode t, String key, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw t.error(key, "must be a number >= 0, got " + v);
        return v;
    }
}
