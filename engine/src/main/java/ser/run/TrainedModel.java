package ser.run;

import ser.SerException;
import ser.autograd.kernels.HostTrainingOps;
import ser.audio.AudioLoader;
import ser.features.Features;
import ser.io.Safetensors;
import ser.model.Inference;
import ser.model.Model;
import ser.model.ModelBuilder;
import ser.tensor.Backends;
import ser.tensor.Devices;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run directory's model ready for use: its recipe, its labels, its best weights and its feature pipelines, so
 * that evaluation and prediction see audio exactly as training did.
 */
public final class TrainedModel {

    private final RunDirectory run;
    private final TrainConfig config;
    private final List<String> labels;
    private final Map<String, Features> features;
    private final Model model;
    private final Backends.Backend backend;

    private TrainedModel(RunDirectory run, TrainConfig config, List<String> labels, Map<String, Features> features, Model model,
                         Backends.Backend backend) {
        this.backend = backend;
        this.run = run;
        this.config = config;
        this.labels = labels;
        this.features = features;
        this.model = model;
    }

    /** The run's model, its HuBERT inputs on the device its recipe names (the CPU when it names none). */
    public static TrainedModel load(Path runDir) {
        return load(runDir, null, notice -> {});
    }

    /**
     * The run's model, its HuBERT inputs on {@code device} (a {@link Devices.Spec}; null: the recipe's, else the
     * CPU), as {@link TrainConfig#openDevice} opens it; {@code notice} hears its one-line notices.
     */
    public static TrainedModel load(Path runDir, String device, Consumer<String> notice) {
        RunDirectory run = new RunDirectory(runDir).requireModel();
        TrainConfig config = TrainConfig.load(run.config());
        return load(run, config, config.openDevice(device, notice));
    }

    /** The run's model, its HuBERT inputs on {@code backend}, a backend the caller opened already. */
    public static TrainedModel load(Path runDir, Backends.Backend backend) {
        RunDirectory run = new RunDirectory(runDir).requireModel();
        return load(run, TrainConfig.load(run.config()), backend);
    }

    private static TrainedModel load(RunDirectory run, TrainConfig config, Backends.Backend backend) {
        List<String> labels = run.readLabels();
        Map<String, Features> features = config.openFeatures(backend);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        features.forEach((name, f) -> shapes.put(name, f.inputShape()));
        Model model = ModelBuilder.build(config.model(), shapes, labels.size(), config.seed());
        // read outside the try: a damaged file's message names it already, and only a misfit needs the name added
        Map<String, Tensor> weights = Safetensors.read(run.best()).tensors();
        try {
            model.loadStateDict(weights);
        } catch (SerException e) {
            throw SerException.inFile(run.best(), e.getMessage(), e);
        }
        model.eval();
        if (!backend.onCpu()) model.to(HostTrainingOps.of(backend.ops()));
        return new TrainedModel(run, config, labels, features, model, backend);
    }

    public RunDirectory run() { return run; }

    public TrainConfig config() { return config; }

    public List<String> labels() { return labels; }

    /** Each input's feature pipeline, by name. */
    public Map<String, Features> features() { return features; }

    public Model model() { return model; }

    /** The backend its HuBERT inputs and its network run on (log-Mel and prosody features run on the CPU). */
    public Backends.Backend backend() { return backend; }

    /** The rate every input reads audio at. */
    public int sampleRate() {
        return features.values().iterator().next().sampleRate();
    }

    /** The longest stretch of audio the model looks at, in seconds (infinite when it reads whole files). */
    public double clipSeconds() {
        return features.values().stream().mapToDouble(Features::clipSeconds).min().orElseThrow();
    }

    /**
     * How many samples from a file's start the inputs depend on ({@link Features#samplesRead}, the most of them);
     * -1 when some input reads the whole file.
     */
    public long samplesRead() {
        long most = 0;
        for (Features f : features.values()) {
            long n = f.samplesRead();
            if (n < 0) return -1;
            most = Math.max(most, n);
        }
        return most;
    }

    /** Logits of prepared inputs (per input name, one array per example, as {@link Features#toInput} makes them). */
    public float[][] logits(Map<String, List<float[]>> inputs) {
        return Inference.logits(model, inputs, config.training().batchSize());
    }

    /** Logits of a file's audio, read as training read it. */
    public float[] logits(Path audio) {
        return logits(AudioLoader.loadMono(audio, sampleRate()));
    }

    /** Logits of one clip of samples at {@link #sampleRate} (each input pads, trims or cuts it as it was trained). */
    public float[] logits(float[] samples) {
        return logits(inputs(List.of(samples)))[0];
    }

    /** The model inputs of clips at {@link #sampleRate}, by input name. */
    public Map<String, List<float[]>> inputs(List<float[]> clips) {
        Map<String, List<float[]>> out = new LinkedHashMap<>();
        features.forEach((name, f) -> out.put(name, clips.stream().map(clip -> f.toInput(f.compute(clip))).toList()));
        return out;
    }
}
