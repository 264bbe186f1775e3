package ser.infer;

import ser.SerException;
import ser.audio.AudioLoader;
import ser.model.Inference;
import ser.run.TrainedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Arrays;

/**
 * Labels audio files with a trained model: a whole file (read as in training: log-Mel inputs take its first clip,
 * padded or cut to the recipe's clip length, and say so when the file is longer; HuBERT inputs the whole file up to
 * max_seconds), or a long recording window by window.
 */
public final class Predictor {

    /**
     * One labelled file or segment; {@code start}/{@code end} in seconds, NaN for a whole file. {@code fileSeconds}
     * is NaN unless the model labelled only the first {@code end} seconds of a longer file.
     */
    public record Prediction(Path file, double start, double end, String label, Map<String, Double> probabilities,
                             double fileSeconds) {

        /** Whether the file runs on past what the label is about (a whole-file prediction of a long file). */
        public boolean partial() {
            return !Double.isNaN(fileSeconds);
        }

        /**
         * The JSON line: {@code {"file", ["start", "end",] "label", "probabilities": {...}}}, with
         * {@code "labelled_seconds"} and {@code "file_seconds"} after the file when only its start was labelled.
         */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", file.toString());
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
    }

    /**
     * Windows one file may be cut into: each is a model input, and {@code --hop 0.01} on an hour of audio would
     * ask for 360000 of them.
     */
    public static final long MAX_WINDOWS = 100_000;
    /** Windows labelled at a time, so that memory holds a few of them, not the whole file's worth. */
    private static final int WINDOWS_PER_BATCH = 64;

    private final TrainedModel model;

    public Predictor(TrainedModel model) {
        this.model = model;
    }

    /**
     * The label of a whole file, read as in training. A file longer than the model's clip length is labelled by
     * its first clip only, and the prediction says so ({@link Prediction#partial}); {@link #segments} labels all.
     */
    public Prediction file(Path wav) {
        int rate = model.sampleRate();
        float[] samples = AudioLoader.loadMono(wav, rate);
        float[] logits = model.logits(samples);
        double clip = model.clipSeconds();
        double seconds = (double) samples.length / rate;
        if (Double.isFinite(clip) && samples.length > Math.round(clip * rate)) {
            return predict(wav, 0, clip, logits, seconds);
        }
        return predict(wav, Double.NaN, Double.NaN, logits, Double.NaN);
    }

    /** Refuses a window or hop this model cannot use, whatever the file: an error in the options, not in an input. */
    public void checkWindow(double window, double hop) {
        double clip = model.clipSeconds();
        if (!(window > 0 && window <= clip)) {
            throw new SerException("--window must be in (0, " + clip + "] s, the model's clip length; got " + window);
        }
        if (!(hop > 0)) throw new SerException("--hop must be > 0 s, got " + hop);
        int rate = model.sampleRate();
        if (hop * rate < 1) throw new SerException("--hop must be at least one sample (1/" + rate + " s), got " + hop);
    }

    /**
     * Windows of {@code window} seconds every {@code hop} seconds from the start; the last one may run past the end
     * of the file and is padded with silence, as a short file is. A file shorter than one window gives one.
     */
    public List<Prediction> segments(Path wav, double window, double hop) {
        checkWindow(window, hop);
        int rate = model.sampleRate();
        float[] samples = AudioLoader.loadMono(wav, rate);
        long count = Math.max(1, (long) Math.ceil(samples.length / (hop * rate)));
        if (count > MAX_WINDOWS) {
            throw SerException.inFile(wav, String.format(Locale.ROOT, "%.1f s cut every %s s makes %d windows, more than "
                    + "%d; give a longer --hop", (double) samples.length / rate, hop, count, MAX_WINDOWS));
        }
        int windowSamples = (int) Math.round(window * rate);
        List<Prediction> out = new ArrayList<>();
        List<float[]> windows = new ArrayList<>();
        List<double[]> times = new ArrayList<>();
        for (long k = 0; ; k++) {
            int start = (int) Math.round(k * hop * rate);
            boolean done = k > 0 && start >= samples.length;
            if (!done) {
                int end = Math.min(start + windowSamples, samples.length);
                float[] segment = Arrays.copyOfRange(samples, start, Math.max(start, end));
                // The model sees the window, padded with silence (and for log-Mel inputs up to their clip length).
                windows.add(AudioLoader.padOrTrim(segment, windowSamples));
                times.add(new double[] {(double) start / rate, (double) Math.max(start, end) / rate});
            }
            if (windows.size() == WINDOWS_PER_BATCH || done && !windows.isEmpty()) {
                float[][] logits = model.logits(model.inputs(windows));
                for (int i = 0; i < logits.length; i++) {
                    out.add(predict(wav, times.get(i)[0], times.get(i)[1], logits[i], Double.NaN));
                }
                windows.clear();
                times.clear();
            }
            if (done) return out;
        }
    }

    private Prediction predict(Path file, double start, double end, float[] logits, double fileSeconds) {
        double[] p = Inference.probabilities(logits);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) probabilities.put(model.labels().get(c), round(p[c], 6));
        return new Prediction(file, start, end, model.labels().get(Inference.argmax(logits)), probabilities, fileSeconds);
    }

    private static double round(double v, int decimals) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + decimals + "f", v));
    }
}
