package ser.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scores of each corpus when one evaluation mixes several, because a model that does well on one and badly on
 * another averages to a number that describes neither.
 *
 * <p>With a single corpus the breakdown is empty: its scores would only repeat the overall ones.
 */
public final class CorpusBreakdown {

    /** What files whose corpus is not known are grouped under. */
    public static final String UNKNOWN = "unknown";

    private CorpusBreakdown() {}

    /**
     * Per corpus id, in name order, its metrics; empty unless there are at least two corpora.
     *
     * @param corpus per file, its corpus id (null when unknown)
     */
    public static Map<String, ClassificationMetrics> of(List<String> labels, List<String> corpus, int[] truth,
                                                        int[] predicted) {
        if (corpus.size() != truth.length || truth.length != predicted.length) {
            throw new IllegalArgumentException(corpus.size() + " corpus ids, " + truth.length + " true labels, "
                    + predicted.length + " predictions");
        }
        Map<String, List<Integer>> members = new TreeMap<>();
        for (int i = 0; i < truth.length; i++) {
            members.computeIfAbsent(corpus.get(i) == null ? UNKNOWN : corpus.get(i), k -> new ArrayList<>()).add(i);
        }
        Map<String, ClassificationMetrics> out = new LinkedHashMap<>();
        if (members.size() < 2) return out;
        members.forEach((id, rows) -> {
            ConfusionMatrix m = new ConfusionMatrix(labels);
            for (int i : rows) m.add(truth[i], predicted[i]);
            out.put(id, ClassificationMetrics.of(m));
        });
        return out;
    }

    /** The {@code per_corpus} object of {@code metrics.json}: per corpus n, accuracy, uar, macro_f1, confusion. */
    public static Map<String, Object> toJson(Map<String, ClassificationMetrics> perCorpus) {
        Map<String, Object> json = new LinkedHashMap<>();
        perCorpus.forEach((id, m) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("n", m.confusion().total());
            entry.put("accuracy", m.accuracy());
            entry.put("uar", m.uar());
            entry.put("macro_f1", m.macroF1());
            entry.put("confusion", m.confusion().counts());
            json.put(id, entry);
        });
        return json;
    }

    /** One log line per corpus, indented under the overall line that precedes it. */
    public static List<String> lines(Map<String, ClassificationMetrics> perCorpus) {
        List<String> lines = new ArrayList<>();
        perCorpus.forEach((id, m) -> lines.add(String.format(Locale.ROOT,
                "  %s (%d files): accuracy %.4f  UAR %.4f  macro-F1 %.4f",
                id, m.confusion().total(), m.accuracy(), m.uar(), m.macroF1())));
        return lines;
    }
}
