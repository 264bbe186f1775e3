package ser.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The emotion of one file, one segment of it, or one clip of samples.
 *
 * @param file          the audio file, or null for samples handed over in memory
 * @param start         the segment's start in seconds; NaN for a whole file or clip
 * @param end           the segment's end in seconds; NaN for a whole file or clip
 * @param label         the most probable class
 * @param probabilities every class's probability, in the model's label order
 * @param fileSeconds   NaN, unless only the first {@code end} seconds of a longer file were labelled
 */
public record Prediction(Path file, double start, double end, String label, Map<String, Double> probabilities,
                         double fileSeconds) {

    public Prediction {
        probabilities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
    }

    /** The same prediction about {@code file} (null: about samples in memory), as its JSON then names it. */
    public Prediction withFile(Path file) {
        return new Prediction(file, start, end, label, probabilities, fileSeconds);
    }

    /** Whether the file runs on past what the label is about (a whole-file prediction of a long file). */
    public boolean partial() {
        return !Double.isNaN(fileSeconds);
    }

    /**
     * The JSON object of {@code ser predict}: {@code {"file", ["start", "end",] "label", "probabilities": {...}}},
     * with {@code "labelled_seconds"} and {@code "file_seconds"} after the file when only its start was labelled.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (file != null) m.put("file", file.toString());
        if (partial()) {
            m.put("labelled_seconds", round(end, 3));
            m.put("file_seconds", round(fileSeconds, 3));
        } else if (!Double.isNaN(start)) {
            m.put("start", round(start, 3));
            m.put("end", round(end, 3));
        }
        m.put("label", label);
        m.put("probabilities", probabilities);
        return m;
    }

    static double round(double v, int decimals) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }
}
