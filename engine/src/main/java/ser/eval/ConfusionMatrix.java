package ser.eval;

import java.util.Arrays;
import java.util.List;

/**
 * Counts of (true class, predicted class) pairs over a fixed, ordered list of labels: {@code counts[t][p]} is how
 * many utterances of class {@code t} were predicted as {@code p}. Rows are truth, columns predictions, as in
 * scikit-learn's {@code confusion_matrix}.
 */
public final class ConfusionMatrix {

    private final List<String> labels;
    private final long[][] counts;

    public ConfusionMatrix(List<String> labels) {
        if (labels.isEmpty()) throw new IllegalArgumentException("a confusion matrix needs at least one label");
        this.labels = List.copyOf(labels);
        this.counts = new long[labels.size()][labels.size()];
    }

    /** A matrix over {@code labels} from parallel arrays of true and predicted class indices. */
    public static ConfusionMatrix of(List<String> labels, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        ConfusionMatrix m = new ConfusionMatrix(labels);
        for (int i = 0; i < truth.length; i++) m.add(truth[i], predicted[i]);
        return m;
    }

    public void add(int truth, int predicted) {
        counts[truth][predicted]++;
    }

    public List<String> labels() {
        return labels;
    }

    public int classes() {
        return labels.size();
    }

    public long count(int truth, int predicted) {
        return counts[truth][predicted];
    }

    /** Utterances whose true class is {@code c}. */
    public long support(int c) {
        return Arrays.stream(counts[c]).sum();
    }

    /** Utterances predicted as {@code c}. */
    public long predicted(int c) {
        long n = 0;
        for (long[] row : counts) n += row[c];
        return n;
    }

    public long total() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) n += support(c);
        return n;
    }

    public long correct() {
        long n = 0;
        for (int c = 0; c < counts.length; c++) n += counts[c][c];
        return n;
    }

    /** A copy of the counts, rows = truth. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) copy[i] = counts[i].clone();
        return copy;
    }

    /** Each row divided by its support (a row without support stays zero): the recall of each prediction. */
    public double[][] rowNormalised() {
        double[][] out = new double[counts.length][counts.length];
        for (int t = 0; t < counts.length; t++) {
            long support = support(t);
            for (int p = 0; p < counts.length && support > 0; p++) out[t][p] = (double) counts[t][p] / support;
        }
        return out;
    }
}
