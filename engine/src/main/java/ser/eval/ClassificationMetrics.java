package ser.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scores of a classifier on a labelled set, from its confusion matrix.
 *
 * <p>Conventions (those of scikit-learn with {@code zero_division=0}): a class never predicted has precision 0, a
 * class absent from the truth has recall 0, and F1 is 0 when precision and recall are both 0. The unweighted
 * average recall (UAR, scikit-learn's {@code balanced_accuracy_score}) averages over the classes present in the
 * truth only, because a class with no examples has no recall to speak of; the macro F1 averages over the classes
 * present in the truth or in the predictions, like {@code f1_score(average="macro")} without a {@code labels}
 * argument. Classes absent from both do not count at all.
 *
 * @param accuracy correct / total
 * @param uar      mean recall over the classes with support
 * @param macroF1  mean F1 over the classes seen in truth or predictions
 * @param perClass one entry per label, in label order
 */
public record ClassificationMetrics(double accuracy, double uar, double macroF1, List<PerClass> perClass,
                                    ConfusionMatrix confusion) {

    public record PerClass(String label, double precision, double recall, double f1, long support) {}

    public static ClassificationMetrics of(ConfusionMatrix m) {
        if (m.total() == 0) throw new IllegalArgumentException("no utterances to score");
        List<PerClass> perClass = new ArrayList<>();
        double recallSum = 0, f1Sum = 0;
        int withSupport = 0, seen = 0;
        for (int c = 0; c < m.classes(); c++) {
            long tp = m.count(c, c), support = m.support(c), predicted = m.predicted(c);
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.add(new PerClass(m.labels().get(c), precision, recall, f1, support));
            if (support > 0) {
                withSupport++;
                recallSum += recall;
            }
            if (support > 0 || predicted > 0) {
                seen++;
                f1Sum += f1;
            }
        }
        return new ClassificationMetrics((double) m.correct() / m.total(), recallSum / withSupport, f1Sum / seen,
                List.copyOf(perClass), m);
    }

    /** The {@code metrics.json} layout: accuracy, uar, macro_f1, per_class, confusion, labels. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", accuracy);
        json.put("uar", uar);
        json.put("macro_f1", macroF1);
        Map<String, Object> classes = new LinkedHashMap<>();
        for (PerClass p : perClass) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("precision", p.precision());
            entry.put("recall", p.recall());
            entry.put("f1", p.f1());
            entry.put("support", p.support());
            classes.put(p.label(), entry);
        }
        json.put("per_class", classes);
        json.put("confusion", confusion.counts());
        json.put("labels", confusion.labels());
        return json;
    }
}
