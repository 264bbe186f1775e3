package ser.hubert;

import ser.SerException;
import ser.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * A HuBERT / wav2vec 2.0 encoder on the CPU: from 16 kHz waveforms to every layer's hidden states.
 *
 * <p>A batch of clips of different lengths is zero-padded to the longest, and padding is treated exactly as
 * torchaudio treats it when given lengths: the feature encoder runs over the padded waveform (so the first
 * conv's group norm sees the padding), frames past floor((n - k) / s) + 1 of each conv are zeroed after the
 * feature projection, and attention ignores padded keys. The valid frames of a clip therefore match the
 * reference run on the padded batch, which is not bit-for-bit the same as running the clip alone.
 */
public final class Hubert {

    private final HubertConfig config;
    private final FeatureEncoder featureEncoder;
    private final Norm projectionNorm;
    private final Linear projection;
    private final PositionalConv positionalConv;
    private final Norm encoderNorm;
    private final EncoderLayer[] layers;

    public Hubert(HubertConfig config, WeightSource weights) {
        this.config = config;
        int c = config.featureDim(), d = config.hidden();
        featureEncoder = new FeatureEncoder(config, weights);
        projectionNorm = config.projectionNorm() ? Norm.load(weights, WeightNames.PROJECTION_NORM, c, config.layerNormEps()) : null;
        projection = Linear.load(weights, WeightNames.PROJECTION, c, d);
        positionalConv = new PositionalConv(config, weights);
        encoderNorm = Norm.load(weights, WeightNames.ENCODER_NORM, d, config.layerNormEps());
        layers = new EncoderLayer[config.layers()];
        for (int i = 0; i < layers.length; i++) layers[i] = new EncoderLayer(config, weights, i);
    }

    public HubertConfig config() { return config; }

    /** Hidden states of one clip. */
    public HubertOutput forward(float[] clip) {
        return forward(List.of(clip));
    }

    /** Hidden states of a batch of clips (16 kHz mono), padded to the longest. */
    public HubertOutput forward(List<float[]> clips) {
        return run(clips).output();
    }

    /** Each stage's output, for tests that hold the stages to the reference one by one. */
    record Stages(Tensor features, Tensor projected, Tensor positional, HubertOutput output) {}

    Stages run(List<float[]> clips) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips");
        int batch = clips.size(), samples = clips.stream().mapToInt(a -> a.length).max().orElseThrow();
        int steps = config.frames(samples), c = config.featureDim(), d = config.hidden();
        if ((long) (layers.length + 1) * batch * steps * d > Integer.MAX_VALUE) {
            throw new SerException("audio too long for one pass: " + batch + " × " + samples + " samples");
        }
        int[] frames = clips.stream().mapToInt(a -> config.frames(a.length)).toArray();

        // Everything the kernels touch lives off the heap: the Vector API's loads from heap-backed segments
        // are not intrinsified and run an order of magnitude slower. Results are freed by the GC (auto arena),
        // temporaries when their stage ends.
        Arena results = Arena.ofAuto();
        Tensor features = Tensor.zeros(results, batch * steps, c);
        for (int b = 0; b < batch; b++) {
            float[] clip = config.doNormalize() ? Waveforms.normalised(clips.get(b)) : clips.get(b);
            try (Arena scratch = Arena.ofShared()) {
                Tensor wave = Tensor.zeros(scratch, samples);
                wave.slice(0, 0, clip.length).copyFrom(Tensor.wrap(clip, clip.length));
                featureEncoder.forward(wave, features.slice(0, b * steps, (b + 1) * steps), scratch);
            }
        }

        Tensor projected = Tensor.zeros(results, batch * steps, d);
        try (Arena scratch = Arena.ofShared()) {
            Tensor normed = Tensor.zeros(scratch, batch * steps, c);
            normed.copyFrom(features);
            if (projectionNorm != null) projectionNorm.apply(normed);
            projection.apply(normed, projected);
        }
        for (int b = 0; b < batch; b++) {
            long from = (long) b * steps + frames[b], to = (long) (b + 1) * steps;
            projected.segment().asSlice((projected.offset() + from * d) * Float.BYTES, (to - from) * d * Float.BYTES).fill((byte) 0);
        }

        Tensor hidden = Tensor.zeros(results, layers.length + 1, batch * steps, d);
        Tensor positional = Tensor.zeros(results, batch * steps, d);
        for (int b = 0; b < batch; b++) {
            try (Arena scratch = Arena.ofShared()) {
                positionalConv.forward(projected.slice(0, b * steps, (b + 1) * steps),
                        positional.slice(0, b * steps, (b + 1) * steps), scratch);
            }
        }
        Tensor first = hidden.select(0, 0);
        first.copyFrom(projected);
        Kernels.add(first, positional);
        if (!config.layerNormFirst()) encoderNorm.apply(first);
        for (int i = 0; i < layers.length; i++) layers[i].forward(hidden.select(0, i), frames, hidden.select(0, i + 1));
        if (config.layerNormFirst()) encoderNorm.apply(hidden.select(0, layers.length));

        HubertOutput output = new HubertOutput(hidden.reshape(layers.length + 1, batch, steps, d), frames);
        return new Stages(features.reshape(batch, steps, c), projected.reshape(batch, steps, d),
                positional.reshape(batch, steps, d), output);
    }
}
