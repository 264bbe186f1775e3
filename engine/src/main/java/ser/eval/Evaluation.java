package ser.eval;

import ser.eval.plot.ConfusionMatrixPlot;
import ser.io.AtomicFiles;
import ser.io.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The written result of scoring a model on labelled files: {@code metrics.json} (the metrics plus whatever the
 * caller adds: split, corpus, dropped labels), {@code confusion.png}, and {@code predictions.csv} with one row per
 * file (path, true label, predicted label, then each class's probability).
 */
public final class Evaluation {

    private Evaluation() {}

    /** One scored file. */
    public record Row(String file, int truth, int predicted, double[] probabilities) {}

    public static ClassificationMetrics write(Path dir, List<String> labels, List<Row> rows, Map<String, Object> context) {
        int[] truth = rows.stream().mapToInt(Row::truth).toArray();
        int[] predicted = rows.stream().mapToInt(Row::predicted).toArray();
        ConfusionMatrix confusion = ConfusionMatrix.of(labels, truth, predicted);
        ClassificationMetrics metrics = ClassificationMetrics.of(confusion);

        Map<String, Object> json = new LinkedHashMap<>(metrics.toJson());
        json.put("n", rows.size());
        json.putAll(context);
        Json.writeFile(dir.resolve("metrics.json"), json);
        ConfusionMatrixPlot.write(dir.resolve("confusion.png"), confusion);

        StringBuilder csv = new StringBuilder("file,label,predicted");
        for (String l : labels) csv.append(",p_").append(l);
        csv.append('\n');
        for (Row r : rows) {
            csv.append(quote(r.file())).append(',').append(labels.get(r.truth())).append(',').append(labels.get(r.predicted()));
            for (double p : r.probabilities()) csv.append(',').append(String.format(Locale.ROOT, "%.6f", p));
            csv.append('\n');
        }
        AtomicFiles.writeString(dir.resolve("predictions.csv"), csv.toString());
        return metrics;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
