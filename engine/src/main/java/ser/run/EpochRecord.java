package ser.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code metrics.jsonl}. Validation values are NaN when the split has no validation part (written
 * as {@code null}).
 *
 * @param epoch         counted from 1
 * @param trainLoss     mean training loss as optimised (with label smoothing, class weights, mixup)
 * @param trainAccuracy on the augmented training batches, against their own labels
 * @param valLoss       plain cross-entropy on the validation part, in inference mode
 * @param learningRate  the rate of the epoch's last step
 * @param seconds       wall time of the epoch, validation included (the one value a rerun does not repeat)
 */
public record EpochRecord(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                          double valUar, double learningRate, double seconds) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", finiteOrNull(trainLoss));
        m.put("train_accuracy", finiteOrNull(trainAccuracy));
        m.put("val_loss", finiteOrNull(valLoss));
        m.put("val_accuracy", finiteOrNull(valAccuracy));
        m.put("val_uar", finiteOrNull(valUar));
        m.put("lr", learningRate);
        m.put("seconds", seconds);
        return m;
    }

    public static EpochRecord fromJson(Map<?, ?> m) {
        return new EpochRecord(((Number) m.get("epoch")).intValue(), number(m, "train_loss"), number(m, "train_accuracy"),
                number(m, "val_loss"), number(m, "val_accuracy"), number(m, "val_uar"), number(m, "lr"),
                number(m, "seconds"));
    }

    /** The monitored validation score ({@code val_loss}, {@code val_accuracy} or {@code val_uar}). */
    public double score(String monitor) {
        return switch (monitor) {
            case "val_accuracy" -> valAccuracy;
            case "val_uar" -> valUar;
            default -> valLoss;
        };
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
