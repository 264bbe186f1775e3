package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

/**
 * The convolutional feature encoder: seven strided convs from 16 kHz samples to 50 frames a second, each
 * followed by a norm (group norm on the first only, or layer norm on every one) and exact GELU.
 *
 * <p>Activations are time-major [T, C]. A conv with kernel k and stride s then reads, for output frame t,
 * the k consecutive input rows starting at row t·s: k·C contiguous floats. So the input itself, seen as a
 * [T_out, k·C] matrix with row stride s·C (rows overlap when k &gt; s), is the im2col matrix, and each conv
 * is one GEMM against the [k·C, C_out] weight with no copy of the input. A first conv with group norm runs as
 * {@link GroupNormConv}, the norm folded into its weights, and the convs of kernel 3 and stride 2 as
 * {@link PairedConv}, a sixth fewer multiply-adds; one of those that feeds another writes its output in the split
 * row order of {@link Frames}.
 */
final class FeatureEncoder {

    private final int[] channels, kernels, strides;
    private final Ops ops;
    private final Workspace workspace;
    /** The first conv and its group norm, folded together, in a group-norm encoder; else null. */
    private final GroupNormConv groupNormed;
    /** The convs computed directly, one GEMM each; null where {@link #paired} or {@link #groupNormed} has it. */
    private final Linear[] convs;
    /** The convs of kernel 3 and stride 2, computed in pairs of frames; null for the others. */
    private final PairedConv[] paired;
    private final Norm[] norms;

    FeatureEncoder(HubertConfig config, WeightSource w, Ops ops, Workspace workspace) {
        this.workspace = workspace;
        this.channels = config.convChannels();
        this.kernels = config.convKernels();
        this.strides = config.convStrides();
        this.ops = ops;
        int layers = config.convLayers();
        convs = new Linear[layers];
        norms = new Norm[layers];
        paired = new PairedConv[layers];
        boolean group = config.featureNorm() == HubertConfig.FeatureNorm.GROUP;
        GroupNormConv first = null;
        int in = 1;
        for (int i = 0; i < layers; i++) {
            int out = channels[i], rows = kernels[i] * in;
            String name = WeightNames.conv(i);
            Tensor weight = w.get(name + ".weight", rows, out);
            if (group && i == 0) {
                // The group norm cancels the conv bias, if there is one.
                first = new GroupNormConv(weight, Norm.load(w, WeightNames.convNorm(0), out, config.layerNormEps()),
                        strides[0], workspace);
            } else {
                Tensor bias = config.convBias() ? w.get(name + ".bias", out) : null;
                if (PairedConv.applies(kernels[i], strides[i])) paired[i] = new PairedConv(weight, bias, ops);
                else convs[i] = Linear.of(weight, bias, ops);
                if (!group) norms[i] = Norm.load(w, WeightNames.convNorm(i), out, config.layerNormEps());
            }
            in = out;
        }
        groupNormed = first;
    }

    /** Features of one (padded) waveform into {@code out} [config.frames(samples.length), featureDim]. */
    void forward(float[] samples, Tensor out) {
        forward(samples, out, null);
    }

    /** As {@link #forward(float[], Tensor)}, a group norm normalising by {@code stats} when given (a chunk of a recording). */
    void forward(float[] samples, Tensor out, RecordingStats stats) {
        Tensor signal = ops.upload(Tensor.wrap(samples, samples.length));
        Frames x = Frames.inTimeOrder(signal.reshape(samples.length, 1));
        for (int i = 0; i < convs.length; i++) {
            int k = kernels[i], s = strides[i], in = x.rows().dim(1);
            int frames = x.count() < k ? 0 : (x.count() - k) / s + 1;
            // Outputs alternate between two buffers: each conv reads the one the conv before wrote. A paired conv
            // whose output feeds another is written in the split order, which both sides read faster.
            Tensor buffer = i == convs.length - 1 ? out : workspace.take("features." + i % 2, frames, channels[i]);
            Frames y = new Frames(buffer, paired[i] != null && i + 1 < convs.length && paired[i + 1] != null);
            if (frames > 0) {
                Activation fused = norms[i] == null ? Activation.GELU : Activation.IDENTITY;
                if (i == 0 && groupNormed != null) {
                    groupNormed.forward(ops, samples, signal, buffer, stats);
                } else if (paired[i] != null) {
                    paired[i].forward(ops, x, fused, y);
                } else {
                    Tensor windows = x.rows().strided(x.rows().offset(), new int[] {frames, k * in},
                            new long[] {(long) s * in, 1});
                    convs[i].apply(ops, windows, fused, buffer);
                }
                if (norms[i] != null) {
                    norms[i].apply(ops, buffer);
                    ops.gelu(buffer, buffer);
                }
            }
            x = y;
        }
    }
}
