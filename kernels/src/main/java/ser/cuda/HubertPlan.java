package ser.cuda;

import ser.hubert.HubertConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shapes, buffer sizes and FLOP counts of one CUDA HuBERT forward pass over {@code batch} clips padded to
 * {@code samples}: pure arithmetic, so it is tested without a GPU.
 */
public record HubertPlan(HubertConfig config, int batch, int samples) {

    /** Stage names, in the order a forward pass runs them (what a {@link StageMarks} is told). */
    public static final String CONV0_STATS = "feature conv 0 window moments + stats", CONV0 = "feature conv 0 + norm + GELU", CONVS = "feature convs 1-6 + GELU",
            PROJECTION = "feature projection (+ norm)", POS_WINDOWS = "positional conv windows",
            POS_CONV = "positional conv GEMM + bias + GELU",
            QKV = "attention q/k/v", SCORES = "attention scores", SOFTMAX = "attention softmax",
            CONTEXT = "attention context", ATTENTION_OUT = "attention out", FFN_IN = "feed-forward in + GELU",
            FFN_OUT = "feed-forward out", NORMS = "layer norms, residuals, copies";

    public HubertPlan {
        if (batch <= 0) throw new IllegalArgumentException("no clips");
        if (config.frames(samples) <= 0) {
            throw new IllegalArgumentException(samples + " samples make no frame (" + config.convKernels()[0] + " at least)");
        }
    }

    /** Frames after each conv of the feature encoder. */
    public int[] convFrames() {
        int[] k = config.convKernels(), s = config.convStrides(), out = new int[k.length];
        int n = samples;
        for (int i = 0; i < k.length; i++) {
            n = n < k[i] ? 0 : (n - k[i]) / s[i] + 1;
            out[i] = n;
        }
        return out;
    }

    /** Frames the transformer sees, {@code config.frames(samples)}. */
    public int frames() {
        return config.frames(samples);
    }

    /** Rows of every transformer activation: batch × frames. */
    public int rows() {
        return Math.multiplyExact(batch, frames());
    }

    /** The largest feature-encoder activation, [batch, frames_i, channels_i], in floats: each ping-pong buffer. */
    public long convActivationFloats() {
        int[] f = convFrames(), c = config.convChannels();
        long max = 0;
        for (int i = 0; i < f.length; i++) max = Math.max(max, (long) f[i] * c[i]);
        return max * batch;
    }

    /** Attention scores of one layer, [batch, heads, frames, frames]. */
    public long scoreFloats() {
        return (long) batch * config.heads() * frames() * frames();
    }

    /** At most this many elements of positional-conv windows at once (2 GiB of fp32): larger batches go in chunks. */
    static final long POS_WINDOWS_BUDGET = 1L << 29;

    /** Positional-conv windows of one clip, [groups, frames, kernel·width]: kernel·D elements per frame. */
    public long posWindowsPerClip() {
        return (long) frames() * config.posKernel() * config.hidden();
    }

    /** Clips whose positional-conv windows are made and multiplied at once. */
    public int posConvChunk() {
        return (int) Math.max(1, Math.min(batch, POS_WINDOWS_BUDGET / posWindowsPerClip()));
    }

    /**
     * The largest GEMM operand that bf16 mode converts into its staging buffer: a feature conv's input, the FFN's
     * inner activations, a layer's input. (The attention products stay in tf32; the positional conv's windows are
     * written in bf16 directly.)
     */
    public long bf16StagingElements() {
        long rows = rows();
        return Math.max(Math.max(convActivationFloats(), rows * config.ffn()),
                rows * Math.max(config.hidden(), config.featureDim()));
    }

    /** Floating-point operations of each stage (2 per multiply-add; element-wise stages count 0). */
    public Map<String, Double> flops() {
        int[] f = convFrames(), c = config.convChannels(), k = config.convKernels();
        double b = batch, rows = rows(), t = frames(), d = config.hidden(), layers = config.layers();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(CONV0_STATS, 0.0);
        m.put(CONV0, 2 * b * f[0] * c[0] * k[0]);
        double convs = 0;
        for (int i = 1; i < f.length; i++) convs += 2 * b * f[i] * (double) c[i - 1] * k[i] * c[i];
        m.put(CONVS, convs);
        m.put(PROJECTION, 2 * rows * config.featureDim() * d);
        m.put(POS_WINDOWS, 0.0);
        m.put(POS_CONV, 2 * rows * d * (d / config.posGroups()) * config.posKernel());
        m.put(QKV, layers * 2 * rows * d * 3 * d);
        m.put(SCORES, layers * 2 * b * config.heads() * t * t * config.headDim());
        m.put(SOFTMAX, 0.0);
        m.put(CONTEXT, layers * 2 * b * config.heads() * t * t * config.headDim());
        m.put(ATTENTION_OUT, layers * 2 * rows * d * d);
        m.put(FFN_IN, layers * 2 * rows * d * config.ffn());
        m.put(FFN_OUT, layers * 2 * rows * d * config.ffn());
        m.put(NORMS, 0.0);
        return m;
    }

    public double totalFlops() {
        return flops().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Device bytes of the activation buffers {@link CudaHubert} allocates for this plan. */
    public long activationBytes(Cublas.Precision precision) {
        long rows = rows(), d = config.hidden();
        boolean bf16 = precision == Cublas.Precision.BF16;
        long windows = posConvChunk() * posWindowsPerClip();
        long floats = (long) batch * samples + 2 * convActivationFloats() + rows * config.featureDim()
                + rows * d * (2 + config.layers() + 1 + 3 + 1 + 1) + scoreFloats() + rows * config.ffn()
                + (bf16 ? 0 : windows);
        long halves = bf16 ? bf16StagingElements() + windows : 0;
        return 4 * floats + 2 * halves + 8L * batch;
    }
}
