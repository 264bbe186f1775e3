package ser.features;

import ser.SerException;
import ser.audio.MonoSamples;
import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.io.FileDigest;
import ser.io.Safetensors;
import ser.tensor.Backends;
import ser.tensor.Devices;
import ser.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Audio to HuBERT model input: decode, mono, resample to 16 kHz, cut to {@code max_seconds}, run the encoder, keep
 * every hidden state (pooled over the clip's frames, or not). The cache holds all states, so that recipes reading
 * different layers of the same weights share one cache; the layer selection is applied as the arrays are read.
 *
 * <p>A file is read through {@link MonoSamples}: with {@code max_seconds} only its first that many seconds are
 * decoded. A clip (the file, or its first {@code max_seconds}) longer than one chunk and its context, 25 s, is run
 * in chunks as {@code ser embed} runs it by default ({@link HubertChunks}: 20 s cores, 2.5 s of context each side,
 * the group norm over the whole clip), so one pass never holds more than 25 s of attention; the result is the one
 * {@code ser embed} writes for the same file and layers. Shorter clips, every utterance of the usual corpora,
 * take one pass as before.
 *
 * <p>The encoder is loaded on first use: a run whose features are all cached never maps the weights. Its forward
 * pass spreads each matrix product over the processors (or runs on a GPU: the backend a job picked through
 * {@link Devices}), so the cache computes one file at a time.
 */
public final class HubertFeatures implements Features {

    public static final int SAMPLE_RATE = 16_000;
    /** The chunks a long clip is run in: {@code ser embed}'s defaults. */
    public static final double CHUNK_SECONDS = 20, CHUNK_OVERLAP_SECONDS = 2.5;

    private final HubertFeatureConfig config;
    private final HubertConfig model;
    private final String digest;
    private final HubertFeatureConfig.Selection selection;
    private final Backends.Backend backend;
    private Hubert hubert;

    /** Reads the weights' config and checks their digest against the config's, if it names one; runs on the CPU. */
    public HubertFeatures(HubertFeatureConfig config) {
        this(config, Devices.cpu());
    }

    /** As {@link #HubertFeatures(HubertFeatureConfig)}, the encoder running on {@code backend} ({@link Devices#open}). */
    public HubertFeatures(HubertFeatureConfig config, Backends.Backend backend) {
        this.config = config;
        this.backend = backend;
        if (!Files.isRegularFile(config.weights())) {
            throw SerException.inFile(config.weights(), "no such engine weights file (convert a HuBERT or wav2vec 2.0 "
                    + "checkpoint to one first)");
        }
        this.model = HubertConfig.of(Safetensors.read(config.weights()), config.weights());
        this.digest = FileDigest.sha256(config.weights());
        if (config.digest() != null && !config.digest().equals(digest)) {
            throw SerException.inFile(config.weights(), "is not the weights this model was trained on (sha256 " + digest
                    + ", the run recorded " + config.digest() + ")");
        }
        try {
            this.selection = HubertFeatureConfig.Selection.parse(config.layers(), model.layers());
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(config.weights(), "layers: " + e.getMessage());
        }
    }

    public HubertFeatureConfig config() {
        return config;
    }

    /** The backend the encoder runs on. */
    public Backends.Backend backend() {
        return backend;
    }

    /** The weights' SHA-256 prefix. */
    public String digest() {
        return digest;
    }

    /** The encoder's shape, from the weights file. */
    public HubertConfig model() {
        return model;
    }

    @Override
    public String kind() {
        return "hubert";
    }

    @Override
    public int sampleRate() {
        return SAMPLE_RATE;
    }

    @Override
    public String cacheKey() {
        return cacheKey(allStates());
    }

    /**
     * The cache key of a directory holding only {@code states}, as {@code ser features --layers} writes it. It names
     * the chunking of long clips ({@link #CHUNK_SECONDS}, {@link #CHUNK_OVERLAP_SECONDS}): features of a clip longer
     * than one chunk depend on it.
     */
    public String cacheKey(int[] states) {
        String s = Arrays.equals(states, allStates()) ? "all" : Arrays.toString(states).replace(" ", "");
        return config.describe(digest, s) + " chunks=" + CHUNK_SECONDS + "+" + CHUNK_OVERLAP_SECONDS;
    }

    @Override
    public int[] inputShape() {
        int d = model.hidden(), layers = selection.states().length;
        if (config.pooled()) return selection.keepAxis() ? new int[] {layers, d} : new int[] {d};
        return selection.keepAxis() ? new int[] {layers, -1, d} : new int[] {-1, d};
    }

    @Override
    public Tensor compute(float[] samples) {
        return compute(samples, allStates());
    }

    /** The chosen hidden states of one clip: {@code [states, dim]} pooled, or {@code [states, frames, dim]}. */
    public Tensor compute(float[] samples, int[] states) {
        try (MonoSamples source = MonoSamples.of(null, samples)) {
            return compute(source, states);
        }
    }

    /** The cached array of a file, reading only its first {@code max_seconds} when there is a bound. */
    @Override
    public Tensor compute(Path audio) {
        return compute(audio, allStates());
    }

    /** The chosen hidden states of a file, as {@link #compute(float[], int[])} on its samples, read as needed. */
    public Tensor compute(Path audio, int[] states) {
        try (MonoSamples source = MonoSamples.open(audio, SAMPLE_RATE)) {
            return compute(source, states);
        }
    }

    /**
     * The chosen hidden states of {@code source} (16 kHz) cut to {@code max_seconds}: one pass, or in chunks when
     * the clip is longer than one chunk and its context ({@link #chunks}).
     */
    public Tensor compute(MonoSamples source, int[] states) {
        MonoSamples clip = config.maxSeconds() > 0 ? source.head(Math.round(config.maxSeconds() * SAMPLE_RATE)) : source;
        HubertOutput.Pool pool = config.pooled() ? HubertOutput.Pool.MEAN : HubertOutput.Pool.NONE;
        HubertChunks.Plan plan = chunks();
        if (plan.splits(model, clip.length())) return HubertChunks.embedding(encoder(), clip, plan, states, pool);
        float[] samples = clip.readHead(clip.length());
        if (model.frames(samples.length) == 0) {
            throw new SerException("too short for HuBERT: " + samples.length + " samples at 16 kHz make no frame");
        }
        HubertOutput out = encoder().forward(List.of(samples), states);
        return out.embedding(0, states, pool);
    }

    /** How a long clip is cut: {@link #CHUNK_SECONDS} cores with {@link #CHUNK_OVERLAP_SECONDS} each side. */
    public HubertChunks.Plan chunks() {
        return HubertChunks.Plan.seconds(model, CHUNK_SECONDS, CHUNK_OVERLAP_SECONDS);
    }

    @Override
    public long samplesRead() {
        return config.maxSeconds() > 0 ? Math.round(config.maxSeconds() * SAMPLE_RATE) : -1;
    }

    /** The selected layers of a cached array of all states, as one flat input. */
    @Override
    public float[] toInput(Tensor cached) {
        int stored = model.layers() + 1;
        if (cached.rank() < 2 || cached.dim(0) != stored || cached.dim(-1) != model.hidden()) {
            throw new IllegalArgumentException("holds " + Arrays.toString(cached.shape()) + ", not " + stored
                    + " hidden states of " + model.hidden() + " values");
        }
        float[] all = cached.contiguous().toArray();
        int[] states = selection.states();
        if (states.length == stored && selection.keepAxis()) return all;
        int block = all.length / stored;
        float[] out = new float[states.length * block];
        for (int i = 0; i < states.length; i++) System.arraycopy(all, states[i] * block, out, i * block, block);
        return out;
    }

    @Override
    public int parallelFiles(int requested) {
        return 1;
    }

    @Override
    public double clipSeconds() {
        return config.maxSeconds() > 0 ? config.maxSeconds() : Double.POSITIVE_INFINITY;
    }

    private int[] allStates() {
        return HubertFeatureConfig.Selection.parse("all", model.layers()).states();
    }

    private synchronized Hubert encoder() {
        if (hubert == null) hubert = Hubert.load(config.weights(), backend);
        return hubert;
    }
}
