package ser.hubert;

import ser.SerException;
import ser.io.Safetensors;
import ser.tensor.Backends;
import ser.tensor.Tensor;

import ser.tensor.Ops;
import ser.tensor.Workspace;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A HuBERT / wav2vec 2.0 encoder on the CPU: from 16 kHz waveforms to every layer's hidden states.
 *
 * <p>A batch of clips of different lengths is zero-padded to the longest, and padding is treated exactly as
 * torchaudio treats it when given lengths: the feature encoder runs over the padded waveform (so the first
 * conv's group norm sees the padding), frames past floor((n - k) / s) + 1 of each conv are zeroed after the
 * feature projection, and attention ignores padded keys. The valid frames of a clip therefore match the
 * reference run on the padded batch, which is not bit-for-bit the same as running the clip alone.
 *
 * <p>A model may be shared between threads. It keeps its largest activation buffers between calls, one set per
 * calling thread (a {@link Workspace} of its backend), sized by the longest batch that thread has run. Every
 * activation is allocated through the backend ({@link Ops#zeros}, the workspace), the waveform enters through
 * {@link Ops#upload} and the hidden states leave through {@link Ops#download}.
 */
public final class Hubert {

    private final HubertConfig config;
    private final Ops ops;
    private final FeatureEncoder featureEncoder;
    private final Norm projectionNorm;
    private final Linear projection;
    private final PositionalConv positionalConv;
    private final Norm encoderNorm;
    private final EncoderLayer[] layers;
    private final Workspace workspace;

    /** A model on the SIMD backend, sharing the process-wide thread pool. */
    public Hubert(HubertConfig config, WeightSource weights) {
        this(config, weights, new SimdOps(Parallel.shared()), Parallel.shared());
    }

    /**
     * A model on any backend. {@code parallel} spreads attention heads and positional-conv groups over threads;
     * each one's own operations then run on the calling worker.
     */
    public Hubert(HubertConfig config, WeightSource weights, Ops ops, Parallel parallel) {
        this.config = config;
        this.ops = ops;
        this.workspace = ops.workspace();
        int c = config.featureDim(), d = config.hidden();
        featureEncoder = new FeatureEncoder(config, weights, ops, workspace);
        projectionNorm = config.projectionNorm() ? Norm.load(weights, WeightNames.PROJECTION_NORM, c, config.layerNormEps()) : null;
        projection = Linear.load(weights, WeightNames.PROJECTION, c, d, ops);
        positionalConv = new PositionalConv(config, weights, ops, parallel, workspace);
        encoderNorm = Norm.load(weights, WeightNames.ENCODER_NORM, d, config.layerNormEps());
        layers = new EncoderLayer[config.layers()];
        for (int i = 0; i < layers.length; i++) layers[i] = new EncoderLayer(config, weights, i, ops, parallel, workspace);
    }

    /**
     * Loads an engine weights file (written by {@code ser convert}): the file is mapped once, every matrix is
     * packed from the mapping into the backend's GEMM layout ({@link Ops#prepack}) and its mapped pages then
     * leave the resident set ({@code Linear.release}), and norms and biases stay views of the mapping, freed when
     * the model is no longer reachable.
     */
    public static Hubert load(Path file) {
        return load(file, new SimdOps(Parallel.shared()), Parallel.shared());
    }

    /**
     * {@link #load(Path)} on a backend that {@link ser.tensor.Devices} opened: a CPU backend shares the process-wide
     * pool ({@link Parallel#shared}) for its attention heads; a device backend is driven from the calling thread
     * alone ({@code new Parallel(1)}), since spreading heads over threads would only queue them on one device.
     */
    public static Hubert load(Path file, Backends.Backend backend) {
        return load(file, backend.ops(), backend.onCpu() ? Parallel.shared() : new Parallel(1));
    }

    /** {@link #load(Path)} on any backend and pool (a benchmark's fixed thread count). */
    public static Hubert load(Path file, Ops ops, Parallel parallel) {
        Safetensors weights = Safetensors.read(file);
        HubertConfig config = HubertConfig.of(weights, file);
        weights.tensors().forEach((name, t) -> {
            // Only float32 is read in place; any other type would be a converted heap copy of the weights.
            if (!t.segment().isMapped()) {
                throw SerException.inFile(file, "tensor '" + name + "' is not stored as F32 (convert the checkpoint to an "
                        + "engine weights file)");
            }
        });
        return new Hubert(config, WeightSource.of(weights.tensors(), file.toString()), ops, parallel);
    }

    public HubertConfig config() { return config; }

    /** Hidden states of one clip. */
    public HubertOutput forward(float[] clip) {
        return forward(List.of(clip));
    }

    /**
     * Hidden states of a batch of clips (16 kHz mono) padded to the longest, exactly as the reference computes a
     * padded batch: each clip's feature encoder sees the padding.
     */
    public HubertOutput forward(List<float[]> clips) {
        return run(clips, true, allStates(), null).output();
    }

    /**
     * As {@link #forward(List)}, keeping only hidden states {@code states} (each in 0 .. layers; repeats count
     * once). The others are neither stored nor copied: each is updated in place into the next, in one buffer
     * reused between calls, so that asking for the last state alone allocates one state instead of all.
     */
    public HubertOutput forward(List<float[]> clips, int[] states) {
        return run(clips, true, kept(states), null).output();
    }

    /**
     * Hidden states of several clips, each equal to what {@link #forward(float[])} gives for it alone, computed
     * together. Only the feature encoder is sensitive to padding (its group norm and last windows); so it runs
     * on each clip's own samples, and the transformer then runs once on the padded batch, where masking keeps
     * the clips apart: zeroed padded frames are what the positional conv's own padding supplies, and padded
     * keys are left out of attention. The batch turns many small GEMMs into a few larger ones.
     */
    public HubertOutput forwardEach(List<float[]> clips) {
        return run(clips, false, allStates(), null).output();
    }

    /** As {@link #forwardEach(List)}, keeping only hidden states {@code states}, as {@link #forward(List, int[])} does. */
    public HubertOutput forwardEach(List<float[]> clips, int[] states) {
        return run(clips, false, kept(states), null).output();
    }

    /**
     * As {@link #forwardEach(List, int[])} for clips that are chunks of one recording: the waveform normalisation
     * (do_normalize) and the first conv's group norm use the whole recording's {@code stats} instead of each
     * clip's own, as a pass over the whole recording would.
     */
    public HubertOutput forwardEach(List<float[]> clips, int[] states, RecordingStats stats) {
        return run(clips, false, kept(states), stats).output();
    }

    private int[] allStates() {
        return IntStream.rangeClosed(0, layers.length).toArray();
    }

    /** The distinct states asked for, in order, each checked to be one of the model's. */
    private int[] kept(int[] states) {
        for (int s : states) {
            if (s < 0 || s > layers.length) {
                throw new IllegalArgumentException("hidden state " + s + " is outside 0.." + layers.length);
            }
        }
        if (states.length == 0) throw new IllegalArgumentException("no hidden state asked for");
        return IntStream.of(states).sorted().distinct().toArray();
    }

    /**
     * Each stage's output, for tests that hold the stages to the reference one by one. The intermediate stages stay
     * in the backend's memory until asked for, so a pass that wants only the output downloads nothing else.
     */
    final class Stages {
        private final Tensor features, projected, positional;
        private final int batch, steps;
        private final HubertOutput output;

        private Stages(Tensor features, Tensor projected, Tensor positional, int batch, int steps, HubertOutput output) {
            this.features = features;
            this.projected = projected;
            this.positional = positional;
            this.batch = batch;
            this.steps = steps;
            this.output = output;
        }

        Tensor features() { return ops.download(features).reshape(batch, steps, config.featureDim()); }

        Tensor projected() { return ops.download(projected).reshape(batch, steps, config.hidden()); }

        Tensor positional() { return ops.download(positional).reshape(batch, steps, config.hidden()); }

        HubertOutput output() { return output; }
    }

    Stages run(List<float[]> clips, boolean padFeatureEncoder) {
        return run(clips, padFeatureEncoder, allStates(), null);
    }

    private Stages run(List<float[]> clips, boolean padFeatureEncoder, int[] kept, RecordingStats stats) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips");
        int batch = clips.size(), samples = clips.stream().mapToInt(a -> a.length).max().orElseThrow();
        int steps = config.frames(samples), c = config.featureDim(), d = config.hidden();
        requireHeap(batch, samples, Runtime.getRuntime().maxMemory() - 4 * packedWeightFloats());
        int[] frames = clips.stream().mapToInt(a -> config.frames(a.length)).toArray();

        Tensor features = features(clips, samples, steps, frames, padFeatureEncoder, stats);
        Tensor projected = projected(features, steps, frames);
        Tensor positional = ops.zeros(batch * steps, d);
        for (int b = 0; b < batch; b++) {
            positionalConv.forward(projected.slice(0, b * steps, (b + 1) * steps), positional.slice(0, b * steps, (b + 1) * steps));
        }
        Tensor hidden = hiddenStates(projected, positional, frames, kept);

        HubertOutput output = new HubertOutput(ops.download(hidden).reshape(kept.length, batch, steps, d), frames, kept);
        return new Stages(features, projected, positional, batch, steps, output);
    }

    /**
     * Refuses, with a message a user can act on, a batch whose activations cannot fit: the first two conv
     * outputs of one clip, and the hidden states and one layer's temporaries of the batch, all float32.
     */
    void requireHeap(int batch, int samples, long heap) {
        int steps = config.frames(samples);
        int[] channels = config.convChannels(), kernels = config.convKernels(), strides = config.convStrides();
        long first = samples < kernels[0] ? 0 : (samples - kernels[0]) / strides[0] + 1;
        long second = first < kernels[1] ? 0 : (first - kernels[1]) / strides[1] + 1;
        long rows = (long) batch * steps, d = config.hidden();
        long floats = first * channels[0] + second * channels[1]
                + rows * (config.featureDim() + (layers.length + 3) * d + 4 * d + config.ffn())
                + (long) steps * steps * Runtime.getRuntime().availableProcessors();
        long bytes = 4 * floats;
        if ((layers.length + 1) * rows * d > Integer.MAX_VALUE || bytes > heap) {
            throw new SerException(String.format("audio too long for one pass: %d clip(s) of up to %.1f s need about "
                    + "%d MB, the heap allows %d MB (split the audio, or give the JVM more heap: -Xmx)",
                    batch, samples / 16_000.0, bytes >> 20, heap >> 20));
        }
    }

    /** The weight matrices, which a fast backend holds packed on the heap for the model's lifetime. */
    private long packedWeightFloats() {
        int[] channels = config.convChannels(), kernels = config.convKernels();
        long d = config.hidden(), floats = 0;
        int in = 1;
        for (int i = 0; i < channels.length; i++) {
            floats += (long) kernels[i] * in * channels[i];
            in = channels[i];
        }
        floats += config.featureDim() * d + config.posKernel() * d * d / config.posGroups();
        return floats + layers.length * (4 * d * d + 2 * d * config.ffn());
    }

    /** Feature-encoder output of every clip, [B·T, C]; rows past a clip's frames stay 0 when unpadded. */
    private Tensor features(List<float[]> clips, int samples, int steps, int[] frames, boolean padded, RecordingStats stats) {
        Tensor features = ops.zeros(clips.size() * steps, config.featureDim());
        for (int b = 0; b < clips.size(); b++) {
            float[] clip = !config.doNormalize() ? clips.get(b)
                    : stats != null ? stats.normalised(clips.get(b)) : Waveforms.normalised(clips.get(b));
            if (padded) featureEncoder.forward(Arrays.copyOf(clip, samples), features.slice(0, b * steps, (b + 1) * steps));
            else featureEncoder.forward(clip, features.slice(0, b * steps, b * steps + frames[b]), stats);
        }
        return features;
    }

    /** Feature projection to the model width, [B·T, D], with every padded frame set to 0. */
    private Tensor projected(Tensor features, int steps, int[] frames) {
        int d = config.hidden();
        Tensor normed = features;
        if (projectionNorm != null) {
            normed = ops.zeros(features.shape());
            projectionNorm.apply(ops, features, normed);
        }
        Tensor projected = ops.zeros(features.dim(0), d);
        projection.apply(ops, normed, projected);
        Tensor sequences = projected.reshape(frames.length, steps, d);
        ops.maskRows(sequences, frames, sequences);
        return projected;
    }

    /**
     * Hidden states {@code kept} (distinct, ascending), [kept, B·T, D]: state 0 is the transformer input, state L
     * the last layer's output. A state not kept is computed in a work buffer, and the next layer updates it there
     * in place; a kept one is computed in its row of the result, and the next layer starts from a copy of it.
     */
    private Tensor hiddenStates(Tensor projected, Tensor positional, int[] frames, int[] kept) {
        int[] row = new int[layers.length + 1];
        Arrays.fill(row, -1);
        for (int i = 0; i < kept.length; i++) row[kept[i]] = i;
        Tensor hidden = ops.zeros(kept.length, projected.dim(0), config.hidden());
        Tensor work = kept.length == row.length ? null : workspace.take("hidden.work", projected.dim(0), config.hidden());
        Tensor x = row[0] >= 0 ? hidden.select(0, row[0]) : work;
        ops.add(projected, positional, x);
        if (!config.layerNormFirst()) encoderNorm.apply(ops, x);
        for (int i = 0; i < layers.length; i++) {
            Tensor out = row[i + 1] >= 0 ? hidden.select(0, row[i + 1]) : work;
            layers[i].forward(x, frames, out);
            x = out;
        }
        if (config.layerNormFirst()) encoderNorm.apply(ops, x);
        return hidden;
    }
}
