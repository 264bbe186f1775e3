package ser.api;

import ser.SerException;
import ser.audio.AudioLoader;
import ser.audio.MonoSamples;
import ser.audio.Resampler;
import ser.model.Inference;
import ser.run.TrainedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The front door: the emotion in speech, from a trained run, in a few calls.
 * <pre>{@code
 * EmotionRecognizer recognizer = EmotionRecognizer.open(Path.of("runs/seed"));
 * Prediction p = recognizer.classify(Path.of("clip.wav"));          // p.label(), p.probabilities()
 * List<Prediction> parts = recognizer.classifyWindows(Path.of("interview.wav"), 3, 1);
 * }</pre>
 * Audio is read as in training: WAV or AIFF of any rate and channel count, mixed to mono and resampled to the
 * model's rate; log-Mel inputs see the first clip of the recipe's length (padded or cut), HuBERT inputs the whole
 * file. A file longer than the clip is labelled by its first clip, and the prediction says so
 * ({@link Prediction#partial}); {@link #classifyWindows} labels all of it. An instance may be shared by threads
 * that classify at the same time. Unreadable audio is a {@link SerException} naming the file.
 */
public final class EmotionRecognizer {

    /**
     * Windows one file may be cut into: each is a model input, and a hop of 0.01 s on an hour of audio would ask
     * for 360000 of them.
     */
    public static final long MAX_WINDOWS = 100_000;
    /** Windows labelled at a time, so that memory holds a few of them, not the whole file's worth. */
    private static final int WINDOWS_PER_BATCH = 64;

    private final TrainedModel model;

    private EmotionRecognizer(TrainedModel model) {
        this.model = model;
    }

    /** The best model of a run directory made by training or import ({@code checkpoints/best.safetensors}). */
    public static EmotionRecognizer open(Path run) {
        return new EmotionRecognizer(TrainedModel.load(run));
    }

    /**
     * As {@link #open(Path)}, its HuBERT encoder (if the model reads HuBERT features) on {@code device}:
     * {@code cpu}, {@code cuda}, {@code auto} or one with a precision ({@link ser.tensor.Devices#SPECS}); null for
     * the device the run's recipe names, else the CPU. Log-Mel features and the classifier run on the CPU.
     * {@code notice} hears one line when {@code auto} finds no GPU and runs on the CPU, or when nothing of this
     * model runs on the device. A device that cannot run here is a {@link SerException} saying why.
     */
    public static EmotionRecognizer open(Path run, String device, Consumer<String> notice) {
        return new EmotionRecognizer(TrainedModel.load(run, device, notice));
    }

    /** The backend the model's HuBERT encoder runs on ({@code cpu}, {@code cuda:fp32}, ...). */
    public String device() {
        return model.backend().name();
    }

    /** The classes, in the order of the model's outputs. */
    public List<String> labels() {
        return model.labels();
    }

    /** The rate the model hears audio at, in Hz. */
    public int sampleRate() {
        return model.sampleRate();
    }

    /** The longest stretch of audio one prediction is about, in seconds (infinite when the model reads whole files). */
    public double clipSeconds() {
        return model.clipSeconds();
    }

    /**
     * The emotion of a whole file (its first clip when it is longer; the prediction then says so). When the model's
     * inputs see only the file's first clip (log-Mel without silence trimming, HuBERT with {@code max_seconds}), only
     * that much is read, through {@link MonoSamples}, and the file's length comes from its header: the prediction is
     * exactly that of the file read whole, and a long file costs no more than a short one. (A bad float sample past
     * what is read is then not seen.) Other models read the whole file.
     */
    public Prediction classify(Path audio) {
        int rate = model.sampleRate();
        long needed = model.samplesRead();
        if (needed < 0) {
            float[] samples = AudioLoader.loadMono(audio, rate);
            return whole(audio, samples.length, model.logits(samples));
        }
        try (MonoSamples samples = MonoSamples.open(audio, rate)) {
            return whole(audio, samples.length(), model.logits(samples.readHead(needed)));
        }
    }

    /** The emotion of mono samples in [-1, 1] at {@code sampleRate} Hz, resampled to the model's rate if needed. */
    public Prediction classify(float[] samples, int sampleRate) {
        if (sampleRate <= 0) throw new SerException("sample rate must be positive, got " + sampleRate);
        int rate = model.sampleRate();
        float[] atRate = sampleRate == rate ? samples : Resampler.resample(samples, sampleRate, rate);
        return whole(null, atRate.length, model.logits(atRate));
    }

    /**
     * The emotions of many clips of mono samples at {@code sampleRate} Hz, in one batched pass through the model
     * (the server's dynamic batching): each prediction is the one {@link #classify(float[], int)} gives for that clip
     * alone, as every input is computed per clip and the model's inference mode treats examples apart.
     */
    public List<Prediction> classify(List<float[]> clips, int sampleRate) {
        if (sampleRate <= 0) throw new SerException("sample rate must be positive, got " + sampleRate);
        int rate = model.sampleRate();
        List<float[]> atRate = sampleRate == rate ? clips
                : clips.stream().map(c -> Resampler.resample(c, sampleRate, rate)).toList();
        if (atRate.isEmpty()) return List.of();
        float[][] logits = model.logits(model.inputs(atRate));
        List<Prediction> out = new ArrayList<>(logits.length);
        for (int i = 0; i < logits.length; i++) out.add(whole(null, atRate.get(i).length, logits[i]));
        return out;
    }

    /** The prediction for a file or clip of {@code length} samples at the model's rate, from its logits. */
    private Prediction whole(Path file, long length, float[] logits) {
        int rate = model.sampleRate();
        double clip = model.clipSeconds();
        if (Double.isFinite(clip) && length > Math.round(clip * rate)) {
            return predict(file, 0, clip, logits, (double) length / rate);
        }
        return predict(file, Double.NaN, Double.NaN, logits, Double.NaN);
    }

    /** Refuses a window or hop this model cannot use, whatever the file: a mistake in the request, not in an input. */
    public void checkWindow(double window, double hop) {
        double clip = model.clipSeconds();
        if (!(window > 0 && window <= clip)) {
            throw new SerException("window must be in (0, " + clip + "] s, the model's clip length; got " + window);
        }
        if (!(hop > 0)) throw new SerException("hop must be > 0 s, got " + hop);
        int rate = model.sampleRate();
        if (hop * rate < 1) throw new SerException("hop must be at least one sample (1/" + rate + " s), got " + hop);
    }

    /**
     * Windows of {@code window} seconds every {@code hop} seconds from the start, each labelled; the last one may run
     * past the end of the file and is padded with silence, as a short file is. A file shorter than one window gives
     * one. The file is streamed (see {@link #classifyWindows(Path, double, double, Consumer)}); the list holds every
     * window's prediction, so for hours of audio prefer the streaming form.
     */
    public List<Prediction> classifyWindows(Path audio, double window, double hop) {
        List<Prediction> out = new ArrayList<>();
        classifyWindows(audio, window, hop, out::add);
        return out;
    }

    /**
     * As {@link #classifyWindows(Path, double, double)}, handing each prediction to {@code each} in order as soon as
     * its batch of windows is labelled, and returning how many there were. The file is read a batch of windows
     * at a time ({@link MonoSamples}: decoded, mixed down and resampled by range, to the bits of the whole-file
     * path), so memory is bounded by the window and hop, not by the file's length; the predictions are exactly
     * those of the file read whole. AIFF and AIFF-C files are streamed the same way. A bad sample found part way
     * through a file throws after the predictions before it were handed on.
     */
    public long classifyWindows(Path audio, double window, double hop, Consumer<Prediction> each) {
        checkWindow(window, hop);
        int rate = model.sampleRate();
        try (MonoSamples samples = MonoSamples.open(audio, rate)) {
            return classifyWindows(samples, window, hop, each);
        }
    }

    private long classifyWindows(MonoSamples samples, double window, double hop, Consumer<Prediction> each) {
        Path audio = samples.file();
        int rate = model.sampleRate();
        long n = samples.length();
        long count = Math.max(1, (long) Math.ceil(n / (hop * rate)));
        if (count > MAX_WINDOWS) {
            throw SerException.inFile(audio, String.format(Locale.ROOT, "%.1f s cut every %s s makes %d windows, more "
                    + "than %d; use a longer hop", (double) n / rate, hop, count, MAX_WINDOWS));
        }
        int windowSamples = (int) Math.round(window * rate);
        long[] starts = new long[WINDOWS_PER_BATCH];
        float[] span = new float[0];
        long emitted = 0;
        for (long k = 0; ; ) {
            // The next batch: windows k, k + 1, ... while they start inside the file (window 0 always).
            int size = 0;
            for (; size < WINDOWS_PER_BATCH; k++) {
                long start = Math.round(k * hop * rate);
                if (k > 0 && start >= n) break;
                starts[size++] = start;
            }
            if (size == 0) return emitted;
            long first = starts[0], last = Math.min(n, starts[size - 1] + windowSamples);
            // Windows that overlap or touch are read as one span; far-apart ones each on their own.
            boolean together = last - first <= (long) (WINDOWS_PER_BATCH + 1) * windowSamples;
            if (together) {
                if (span.length < last - first) span = new float[(int) (last - first)];
                samples.read(first, (int) (last - first), span);
            }
            List<float[]> windows = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                long start = starts[i], end = Math.max(start, Math.min(start + windowSamples, n));
                // The model sees the window, padded with silence (and for log-Mel inputs up to their clip length).
                float[] segment = new float[windowSamples];
                if (together) System.arraycopy(span, (int) (start - first), segment, 0, (int) (end - start));
                else samples.read(start, (int) (end - start), segment);
                windows.add(segment);
            }
            float[][] logits = model.logits(model.inputs(windows));
            for (int i = 0; i < size; i++) {
                long start = starts[i], end = Math.max(start, Math.min(start + windowSamples, n));
                each.accept(predict(audio, (double) start / rate, (double) end / rate, logits[i], Double.NaN));
                emitted++;
            }
        }
    }

    private Prediction predict(Path file, double start, double end, float[] logits, double fileSeconds) {
        double[] p = Inference.probabilities(logits);
        Map<String, Double> probabilities = new LinkedHashMap<>();
        for (int c = 0; c < p.length; c++) probabilities.put(model.labels().get(c), Prediction.round(p[c], 6));
        return new Prediction(file, start, end, model.labels().get(Inference.argmax(logits)), probabilities, fileSeconds);
    }
}
