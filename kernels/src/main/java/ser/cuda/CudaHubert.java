package ser.cuda;

import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.hubert.WeightNames;
import ser.hubert.WeightSource;
import ser.hubert.Waveforms;
import ser.io.Safetensors;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;

import static ser.cuda.CudaEncoderLayer.mark;
import static ser.cuda.HubertPlan.CONV0;
import static ser.cuda.HubertPlan.CONV0_STATS;
import static ser.cuda.HubertPlan.CONVS;
import static ser.cuda.HubertPlan.NORMS;
import static ser.cuda.HubertPlan.POS_CONV;
import static ser.cuda.HubertPlan.POS_WINDOWS;
import static ser.cuda.HubertPlan.PROJECTION;

/**
 * HuBERT / wav2vec 2.0 on one CUDA GPU, computing what {@link ser.hubert.Hubert#forward(List)} computes: a batch
 * of clips zero-padded to the longest, the feature encoder over the padded waveforms, padded frames zeroed after
 * the projection, padded keys left out of attention, every hidden state returned.
 *
 * <p>Weights are uploaded once, from the same engine weights file (or {@link WeightSource}) the CPU engine reads.
 * Activations stay on the device from the waveform to the last hidden state. GEMMs (the feature convs, tap by
 * tap over in-place windows; the projections; both attention products) are cuBLAS in the chosen
 * {@link Cublas.Precision}; everything else is our kernels, in fp32.
 */
public final class CudaHubert implements AutoCloseable {

    private final Cuda.Device dev;
    private final HubertConfig config;
    private final CudaGemm gemm;
    private final DeviceArena weights;
    private final boolean groupNorm;
    /** The first conv's weight as [channels, kernel] and as the engine has it, [kernel, channels]. */
    private final long conv0, conv0TapMajor, conv0Bias, norm0Gamma, norm0Beta;
    private final DeviceMatrix[] convs;
    private final long[] convBias, convGamma, convBeta;
    private final long projectionGamma, projectionBeta, projectionBias, posBias, encoderGamma, encoderBeta;
    private final DeviceMatrix projection, posConv;
    private final CudaEncoderLayer[] layers;
    private HubertBuffers buffers;
    private int[] clipFrames;
    private boolean padded;
    private long lastFeatures;
    private StageMarks timer;

    /** Loads an engine weights file (written by {@code ser convert}), as {@link ser.hubert.Hubert#load} does. */
    public static CudaHubert load(Cuda.Device dev, Path file, Cublas.Precision precision) {
        Safetensors st = Safetensors.read(file);
        return new CudaHubert(dev, HubertConfig.of(st, file), WeightSource.of(st.tensors(), file.toString()), precision);
    }

    public CudaHubert(Cuda.Device dev, HubertConfig config, WeightSource w, Cublas.Precision precision) {
        this.dev = dev;
        this.config = config;
        this.gemm = new CudaGemm(dev, precision);
        this.weights = new DeviceArena(dev.driver());
        try {
            WeightUploader up = new WeightUploader(dev, weights, precision == Cublas.Precision.BF16);
            int n = config.convLayers(), c = config.featureDim(), d = config.hidden();
            int[] channels = config.convChannels(), kernels = config.convKernels();
            groupNorm = config.featureNorm() == HubertConfig.FeatureNorm.GROUP;
            convs = new DeviceMatrix[n];
            convBias = new long[n];
            convGamma = new long[n];
            convBeta = new long[n];
            int in = 1;
            for (int i = 0; i < n; i++) {
                var weight = w.get(WeightNames.conv(i) + ".weight", kernels[i] * in, channels[i]);
                if (i > 0) convs[i] = up.matrix(weight);
                if (config.convBias()) convBias[i] = up.vector(w.get(WeightNames.conv(i) + ".bias", channels[i]));
                if (!groupNorm || i == 0) {
                    convGamma[i] = up.vector(w.get(WeightNames.convNorm(i) + ".weight", channels[i]));
                    convBeta[i] = up.vector(w.get(WeightNames.convNorm(i) + ".bias", channels[i]));
                }
                in = channels[i];
            }
            conv0 = up.raw(WeightLayouts.firstConv(w.get(WeightNames.conv(0) + ".weight", kernels[0], channels[0])));
            conv0TapMajor = up.vector(w.get(WeightNames.conv(0) + ".weight", kernels[0], channels[0]));
            conv0Bias = convBias[0];
            norm0Gamma = convGamma[0];
            norm0Beta = convBeta[0];
            projectionGamma = config.projectionNorm() ? up.vector(w.get(WeightNames.PROJECTION_NORM + ".weight", c)) : 0;
            projectionBeta = config.projectionNorm() ? up.vector(w.get(WeightNames.PROJECTION_NORM + ".bias", c)) : 0;
            projection = up.matrix(w.get(WeightNames.PROJECTION + ".weight", c, d));
            projectionBias = up.vector(w.get(WeightNames.PROJECTION + ".bias", d));
            int width = d / config.posGroups();
            // [groups, kernel·width, width] seen as one matrix: group g's [in, out] block at row g·kernel·width.
            posConv = up.matrix(w.get(WeightNames.POS_CONV + ".weight", config.posGroups(), config.posKernel() * width,
                    width).reshape(config.posGroups() * config.posKernel() * width, width));
            posBias = up.vector(w.get(WeightNames.POS_CONV + ".bias", d));
            encoderGamma = up.vector(w.get(WeightNames.ENCODER_NORM + ".weight", d));
            encoderBeta = up.vector(w.get(WeightNames.ENCODER_NORM + ".bias", d));
            layers = new CudaEncoderLayer[config.layers()];
            for (int l = 0; l < layers.length; l++) layers[l] = new CudaEncoderLayer(dev, gemm, config, w, l, up);
            dev.driver().synchronize(dev.stream());
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    public HubertConfig config() {
        return config;
    }

    public Cublas.Precision precision() {
        return gemm.precision();
    }

    /** Device bytes held by the weights (with their bf16 copies) and by the current activation buffers. */
    public long weightBytes() {
        return weights.bytes();
    }

    public long activationBytes() {
        return buffers == null ? 0 : buffers.bytes();
    }

    /** Reports each following pass's stages to {@code timer} (the GPU bench books device time to them); null stops it. */
    public void profile(StageMarks timer) {
        this.timer = timer;
    }

    /** Every hidden state of a batch, copied to the heap: [layers + 1, batch, frames, dim]. */
    public HubertOutput forward(List<float[]> clips) {
        upload(clips);
        return run().download();
    }

    /**
     * Pads (and, when the model says so, normalises each clip over its own length) the clips into the device's
     * waveform buffer, with each clip's frame count, sizing the buffers for the batch; {@link #run} then computes.
     */
    public HubertPlan upload(List<float[]> clips) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips");
        int batch = clips.size(), samples = clips.stream().mapToInt(a -> a.length).max().orElseThrow();
        HubertPlan plan = new HubertPlan(config, batch, samples);
        if (buffers == null || !buffers.plan.equals(plan)) {
            if (buffers != null) buffers.close();
            buffers = null;
            buffers = new HubertBuffers(dev, plan, gemm.precision());
        }
        float[] wave = new float[Math.multiplyExact(batch, samples)];
        int t = plan.frames();
        int[] frames = new int[batch], keys = new int[batch];
        padded = false;
        for (int b = 0; b < batch; b++) {
            float[] clip = config.doNormalize() ? Waveforms.normalised(clips.get(b)) : clips.get(b);
            System.arraycopy(clip, 0, wave, b * samples, clip.length);
            frames[b] = config.frames(clip.length);
            keys[b] = frames[b] == 0 ? t : frames[b];  // no valid key: the reference softmaxes them all
            padded |= frames[b] < t;
        }
        Transfers.copyIn(dev, buffers.wave, wave);
        Transfers.copyIn(dev, buffers.frames, frames);
        Transfers.copyIn(dev, buffers.keys, keys);
        clipFrames = frames;
        return plan;
    }

    /** The forward pass over the uploaded batch, queued on the device's stream; the states stay on the device. */
    public DeviceStates run() {
        if (buffers == null) throw new IllegalStateException("nothing uploaded");
        HubertBuffers buf = buffers;
        HubertPlan plan = buf.plan;
        int batch = plan.batch(), t = plan.frames(), rows = plan.rows(), c = config.featureDim(), d = config.hidden();
        float eps = config.layerNormEps();
        CudaKernels k = dev.kernels();
        if (timer != null) timer.start();
        long features = featureEncoder(buf);
        lastFeatures = features;
        long projectionInput = features;
        if (config.projectionNorm()) {
            k.layerNorm(features, buf.featureNormed, projectionGamma, projectionBeta, rows, c, eps);
            projectionInput = buf.featureNormed;
        }
        gemm.linear(projectionInput, rows, projection, buf.projected, false, buf.staging);
        k.biasAdd(buf.projected, projectionBias, rows, d, false);
        if (padded) k.zeroPaddedFrames(buf.projected, buf.frames, batch, t, d);
        mark(timer, PROJECTION);
        positionalConv(buf);
        mark(timer, POS_CONV);
        k.residualAdd(buf.positional, buf.projected, (long) rows * d);
        long state = 4L * rows * d;
        if (config.layerNormFirst()) {
            dev.driver().copyOnDevice(buf.hidden, buf.positional, state, dev.stream());
        } else {
            k.layerNorm(buf.positional, buf.hidden, encoderGamma, encoderBeta, rows, d, eps);
        }
        mark(timer, NORMS);
        for (int l = 0; l < layers.length; l++) {
            layers[l].forward(buf, buf.hidden + l * state, buf.hidden + (l + 1) * state, timer);
        }
        if (config.layerNormFirst()) {
            long last = buf.hidden + layers.length * state;
            k.layerNorm(last, last, encoderGamma, encoderBeta, rows, d, eps);
            mark(timer, NORMS);
        }
        return new DeviceStates(dev, buf.hidden, layers.length + 1, batch, t, d, clipFrames.clone());
    }

    /**
     * The positional conv + bias + GELU, projected to positional: per chunk of clips, the windows of every group
     * ({@code pos_conv_im2col}: zero padding at each clip's ends, padded frames already zero) and one GEMM batched
     * over groups against the engine's weight blocks, each group's output written into its columns.
     */
    private void positionalConv(HubertBuffers buf) {
        HubertPlan plan = buf.plan;
        int t = plan.frames(), d = config.hidden(), groups = config.posGroups(), kernel = config.posKernel();
        int width = d / groups, kw = kernel * width, chunk = plan.posConvChunk();
        long clip = 4L * t * d;
        for (int b0 = 0; b0 < plan.batch(); b0 += chunk) {
            int n = Math.min(chunk, plan.batch() - b0), rows = n * t;
            dev.kernels().posConvIm2col(buf.projected + b0 * clip, buf.posWindows, n, t, d, groups, kernel, gemm.bf16());
            mark(timer, POS_WINDOWS);
            gemm.gemm(false, false, rows, width, kw, buf.posWindows, kw, (long) rows * kw, posConv.data(gemm.precision()),
                    width, (long) kw * width, buf.positional + b0 * clip, d, width, groups, false);
            mark(timer, POS_CONV);
        }
        dev.kernels().biasAdd(buf.positional, posBias, plan.rows(), d, true);
    }

    /**
     * The convolutional feature encoder, [rows, C] time-major. The first conv (one input channel) is our kernels:
     * with group norm, each channel's statistics from the moments of the clip's windows (as the CPU engine's
     * GroupNormConv takes them), then the normalised, activated output computed and written time-major in one pass; with layer norm, channel-major, then a tiled transpose. Each later conv with kernel k
     * and stride s is k GEMMs accumulating, tap j reading the input rows j, j + s, j + 2s, ... in place (row
     * stride s·C), a strided batch over clips.
     */
    private long featureEncoder(HubertBuffers buf) {
        HubertPlan plan = buf.plan;
        int[] f = plan.convFrames(), ch = config.convChannels(), kernels = config.convKernels(), strides = config.convStrides();
        int batch = plan.batch();
        float eps = config.layerNormEps();
        CudaKernels k = dev.kernels();
        long rows0 = (long) batch * f[0];
        if (groupNorm) {
            k.conv1dFirstMoments(buf.wave, buf.conv0Moments, batch, plan.samples(), kernels[0], strides[0], f[0]);
            k.conv1dFirstGroupStats(buf.conv0Moments, conv0, buf.conv0Stats, batch, ch[0], kernels[0], eps);
            mark(timer, CONV0_STATS);
            k.conv1dFirstNormGelu(buf.wave, conv0TapMajor, buf.conv0Stats, norm0Gamma, norm0Beta, buf.pong, batch, plan.samples(),
                    ch[0], kernels[0], strides[0], f[0]);
        } else {
            k.conv1dFirst(buf.wave, conv0, buf.ping, batch, plan.samples(), ch[0], kernels[0], strides[0], f[0]);
            k.transpose(buf.ping, buf.pong, batch, ch[0], f[0]);
            if (conv0Bias != 0) k.biasAdd(buf.pong, conv0Bias, rows0, ch[0], false);
            k.layerNorm(buf.pong, buf.pong, norm0Gamma, norm0Beta, rows0, ch[0], eps);
            k.gelu(buf.pong, rows0 * ch[0]);
        }
        mark(timer, CONV0);
        long x = buf.pong, y = buf.ping;
        for (int i = 1; i < f.length; i++) {
            int cin = ch[i - 1], cout = ch[i], tin = f[i - 1], tout = f[i], s = strides[i];
            long a = gemm.operand(x, (long) batch * tin * cin, buf.staging);
            long w = convs[i].data(gemm.precision());
            for (int j = 0; j < kernels[i]; j++) {
                gemm.gemm(false, false, tout, cout, cin, gemm.at(a, (long) j * cin), s * cin, (long) tin * cin,
                        gemm.at(w, (long) j * cin * cout), cout, 0, y, cout, (long) tout * cout, batch, j > 0);
            }
            long outRows = (long) batch * tout;
            if (convBias[i] != 0) k.biasAdd(y, convBias[i], outRows, cout, false);
            if (!groupNorm) k.layerNorm(y, y, convGamma[i], convBeta[i], outRows, cout, eps);
            k.gelu(y, outRows * cout);
            long swap = x;
            x = y;
            y = swap;
        }
        mark(timer, CONVS);
        return x;
    }

    /**
     * The last pass's intermediate results, for locating a mismatch: features [batch, frames, C], projected
     * features [batch, frames, D] (padding zeroed), and the transformer's input before its norm, projected +
     * positional [batch, frames, D].
     */
    public record Stages(Tensor features, Tensor projected, Tensor projectedPlusPositional) {}

    public Stages stages() {
        if (buffers == null || lastFeatures == 0) throw new IllegalStateException("no pass has run");
        HubertPlan plan = buffers.plan;
        int b = plan.batch(), t = plan.frames(), n = plan.rows(), c = config.featureDim(), d = config.hidden();
        return new Stages(Tensor.wrap(Transfers.download(dev, lastFeatures, n * c), b, t, c),
                Tensor.wrap(Transfers.download(dev, buffers.projected, n * d), b, t, d),
                Tensor.wrap(Transfers.download(dev, buffers.positional, n * d), b, t, d));
    }

    @Override
    public void close() {
        try {
            if (buffers != null) buffers.close();
        } finally {
            buffers = null;
            weights.close();
        }
    }
}
