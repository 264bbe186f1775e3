package ser.eval;

import ser.eval.plot.ConfusionMatrixPlot;
import ser.eval.plot.ReliabilityPlot;
import ser.io.AtomicFiles;
import ser.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The written result of scoring a model on labelled files: {@code metrics.json} (the metrics, the expected
 * calibration error and its bins, the scores per corpus when the files come from several, plus whatever the caller
 * adds: split, corpus, dropped labels), {@code confusion.png} (and {@code confusion-<corpus>.png} per corpus when
 * there are several), {@code reliability.png}, and {@code predictions.csv} with one row per file (path, true label,
 * predicted label, then each class's probability).
 */
public final class Evaluation {

    private Evaluation() {}

    /**
     * One scored file.
     *
     * @param corpus the id of the corpus it comes from, null when not known
     */
    public record Row(String file, String corpus, int truth, int predicted, double[] probabilities) {}

    /**
     * What was written, for the caller to report.
     *
     * @param perCorpus empty unless the files come from several corpora
     * @param calibration null when the model gave probabilities that are not numbers
     */
    public record Scores(ClassificationMetrics overall, Map<String, ClassificationMetrics> perCorpus,
                         Calibration calibration) {}

    public static Scores write(Path dir, List<String> labels, List<Row> rows, Map<String, Object> context) {
        int[] truth = rows.stream().mapToInt(Row::truth).toArray();
        int[] predicted = rows.stream().mapToInt(Row::predicted).toArray();
        ConfusionMatrix confusion = ConfusionMatrix.of(labels, truth, predicted);
        ClassificationMetrics metrics = ClassificationMetrics.of(confusion);
        Map<String, ClassificationMetrics> perCorpus =
                CorpusBreakdown.of(labels, rows.stream().map(Row::corpus).toList(), truth, predicted);
        Calibration calibration = calibration(rows);

        Map<String, Object> json = new LinkedHashMap<>(metrics.toJson());
        json.put("n", rows.size());
        if (calibration != null) {
            json.put("ece", calibration.ece());
            json.put("calibration", calibration.toJson());
        }
        if (!perCorpus.isEmpty()) json.put("per_corpus", CorpusBreakdown.toJson(perCorpus));
        json.putAll(context);
        Json.writeFile(dir.resolve("metrics.json"), json);
        plot(dir.resolve("confusion.png"), confusion);
        perCorpus.forEach((id, m) -> plot(dir.resolve("confusion-" + id + ".png"), m.confusion()));
        if (calibration != null) {
            List<ReliabilityPlot.Bin> bins = calibration.bins().stream()
                    .map(b -> new ReliabilityPlot.Bin(b.lo(), b.hi(), b.count(), b.accuracy(), b.confidence())).toList();
            ReliabilityPlot.write(dir.resolve("reliability.png"), bins, calibration.ece());
        }

        StringBuilder csv = new StringBuilder("file,label,predicted");
        for (String l : labels) csv.append(",p_").append(l);
        csv.append('\n');
        for (Row r : rows) {
            csv.append(quote(r.file())).append(',').append(labels.get(r.truth())).append(',').append(labels.get(r.predicted()));
            for (double p : r.probabilities()) csv.append(',').append(String.format(Locale.ROOT, "%.6f", p));
            csv.append('\n');
        }
        AtomicFiles.writeString(dir.resolve("predictions.csv"), csv.toString());
        return new Scores(metrics, perCorpus, calibration);
    }

    private static void plot(Path png, ConfusionMatrix m) {
        ConfusionMatrixPlot.write(png, m.labels(), m.counts());
    }

    /**
     * The confidence is the probability of the class predicted: the one whose correctness is counted. Null when a
     * probability is not a number (a model whose weights diverged): its accuracy can still be scored, its
     * calibration cannot.
     */
    private static Calibration calibration(List<Row> rows) {
        double[] confidence = new double[rows.size()];
        boolean[] correct = new boolean[rows.size()];
        for (int i = 0; i < confidence.length; i++) {
            Row r = rows.get(i);
            confidence[i] = r.probabilities()[r.predicted()];
            if (Double.isNaN(confidence[i])) return null;
            correct[i] = r.predicted() == r.truth();
        }
        return Calibration.of(confidence, correct);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
