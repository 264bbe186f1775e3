package ser.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a classifier's confidence (the probability of the class it predicts) is from how often it is right:
 * predictions are put in equal-width confidence bins over [0, 1], and the expected calibration error (ECE) is the
 * mean over bins of |accuracy − mean confidence|, each bin weighted by its share of the predictions (Guo et al.,
 * "On Calibration of Modern Neural Networks").
 *
 * <p>Bins are half-open, {@code [lo, hi)}, except the last, which also holds a confidence of exactly 1. An empty
 * bin has accuracy and confidence 0 and weighs nothing.
 *
 * @param bins in order of confidence
 * @param ece  Σ count_b / N · |accuracy_b − confidence_b|
 */
public record Calibration(List<Bin> bins, double ece) {

    /** The number of bins of {@code metrics.json} and {@code reliability.png}. */
    public static final int BINS = 10;

    /** One confidence range and the predictions that fell in it. */
    public record Bin(double lo, double hi, long count, double accuracy, double confidence) {}

    public Calibration {
        bins = List.copyOf(bins);
    }

    /** Calibration over {@link #BINS} bins. */
    public static Calibration of(double[] confidence, boolean[] correct) {
        return of(confidence, correct, BINS);
    }

    /**
     * @param confidence per prediction, the probability the model gave the class it predicted
     * @param correct    per prediction, whether that class was the true one
     */
    public static Calibration of(double[] confidence, boolean[] correct, int binCount) {
        if (confidence.length != correct.length) {
            throw new IllegalArgumentException(confidence.length + " confidences but " + correct.length + " outcomes");
        }
        if (confidence.length == 0) throw new IllegalArgumentException("no predictions to calibrate");
        if (binCount < 1) throw new IllegalArgumentException("need at least one bin, got " + binCount);
        long[] count = new long[binCount], right = new long[binCount];
        double[] confidenceSum = new double[binCount];
        for (int i = 0; i < confidence.length; i++) {
            double c = confidence[i];
            if (!(c >= 0 && c <= 1)) throw new IllegalArgumentException("confidence " + c + " is not a probability");
            int b = Math.min((int) Math.floor(c * binCount), binCount - 1);
            count[b]++;
            confidenceSum[b] += c;
            if (correct[i]) right[b]++;
        }
        List<Bin> bins = new ArrayList<>(binCount);
        double ece = 0;
        for (int b = 0; b < binCount; b++) {
            double accuracy = count[b] == 0 ? 0 : (double) right[b] / count[b];
            double meanConfidence = count[b] == 0 ? 0 : confidenceSum[b] / count[b];
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, count[b], accuracy, meanConfidence));
            ece += (double) count[b] / confidence.length * Math.abs(accuracy - meanConfidence);
        }
        return new Calibration(bins, ece);
    }

    /** The {@code calibration} object of {@code metrics.json}: {@code {bins: [{lo, hi, count, accuracy, confidence}]}}. */
    public Map<String, Object> toJson() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Bin b : bins) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("lo", b.lo());
            row.put("hi", b.hi());
            row.put("count", b.count());
            row.put("accuracy", b.accuracy());
            row.put("confidence", b.confidence());
            rows.add(row);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("bins", rows);
        return json;
    }
}
