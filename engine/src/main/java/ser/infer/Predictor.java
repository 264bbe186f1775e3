package ser.infer;

import ser.SerException;
import ser.audio.AudioLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Arrays;

/**
 * Labels audio files with a trained model: a whole file (read as in training: log-Mel inputs take its first clip,
 * padded or cut to the recipe's clip length; HuBERT inputs the whole file up to max_seconds), or a long recording
 * window by window.
 */
public final class Predictor {

    /** One labelled file or segment; {@code start}/{@code end} in seconds, NaN for a whole file. */
    public record Prediction(Path file, double start, double end, String label, Map<String, Double> probabilities) {

        /** The JSON line: {@code {"file", ["start", "end",] "label", "probabilities": {...}}}. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
            if (!Double.isNaN(start)) {
                m.put("start", round(start, 3));
                m.put("end", round(end, 3));
            }
            m.put("label", label);
            m.put("probabilities", probabilities);
            return m;
        }
    }

    private final TrainedModel model;

    public Predictor(TrainedModel model) {
        this.model = model;
    }

    public Prediction file(Path wav) {
        return predict(wav, Double.NaN, Double.NaN, model.logits(wav));
    }

    /**
     * Windows of {@code window} seconds every {@code hop} seconds from the start; the last one may run past the end
     * of the file and is padded with silence, as a short file is. A file shorter than one window gives one.
     */
    public List<Prediction> segments(Path wav, double window, double hop) {
        double clip = model.clipSeconds();
        if (!(window > 0 && window <= clip)) {
            throw new SerException("--window must be in (0, " + clip + "] s, the model's clip length; got " + window);
        }
        if (!(hop > 0)) throw new SerException("--hop must be > 0 s, got " + hop);
        int rate = model.sampleRate();
        float[] samples = AudioLoader.loadMono(wav, rate);
        int windowSamples = (int) Math.round(window * rate);
        List<float[]> windows = new ArrayList<>();
        List<double[]> times = new ArrayList<>();
        for (long k = 0; ; k++) {
            int start = (int) Math.round(k * hop * rate);
            if (k > 0 && start >= samples.length) break;
            int end = Math.min(start + windowSamples, samples.length);
            float[] segment = Arrays.copyOfRange(samples, start, Math.max(start, end));
            // The model sees the window, padded with silence (and for log-Mel inputs up to their clip length).
            windows.add(AudioLoader.padOrTrim(segment, windowSamples));
            times.add(new double[] {(double) start / rate, (double) Math.max(start, end) / rate});
        }
        float[][] logits = model.logits(model.inputs(windows));
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) out.add(predict(wav, times.get(i)[0], times.get(i)[1], logits[i]));
        return out;
    }

    private Prediction predict(Path file, double start, double end, float[] logits) {
        double[] p = Inference.probabilities(logits);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) probabilities.put(model.labels().get(c), round(p[c], 6));
        return new Prediction(file, start, end, model.labels().get(Inference.argmax(logits)), probabilities);
    }

    private static double round(double v, int decimals) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }
}
