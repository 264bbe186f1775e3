package ser.hubert;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

/**
 * The first conv of a group-norm feature encoder (waveform to C channels, kernel k, stride s) with its group norm
 * (one group per channel, each channel normalised over time) folded into the conv: one GEMM, where computing the
 * 512-channel output first and normalising it took nine passes over the largest activation of the model.
 *
 * <p>Each output channel is a linear function of the same windows, {@code y_c = X·w_c + b_c}, so its statistics
 * over time follow from the windows' own: mean {@code m·w_c + b_c} and variance {@code w_cᵀ Σ w_c}, with
 * {@code m} the mean window and {@code Σ} the k×k covariance of the windows. The normalised channel is then
 * {@code X·(σ_c w_c) + β_c - σ_c m·w_c} with {@code σ_c = γ_c / sqrt(var_c + eps)}: the conv bias cancels, and
 * the per-call weights {@code [k + 1, C]} carry the new bias as a last row against a column of ones.
 *
 * <p>The windows are centred on the clip's mean sample before their moments are taken, so the covariance is not
 * the small difference of two large numbers even for audio with a DC offset.
 */
final class GroupNormConv {

    private final int kernel, stride, channels;
    private final float eps;
    private final float[] weight; // [kernel, channels], row-major
    private final Tensor gamma, beta;
    private final Workspace workspace;

    GroupNormConv(Tensor weight, Norm norm, int stride, Workspace workspace) {
        this.workspace = workspace;
        this.kernel = weight.dim(0);
        this.channels = weight.dim(1);
        this.stride = stride;
        this.weight = weight.toArray();
        this.gamma = norm.gamma();
        this.beta = norm.beta();
        this.eps = norm.eps();
    }

    /** {@code out[frames, C] = gelu(groupNorm(conv(samples)))}. */
    void forward(Ops ops, float[] samples, Tensor out) {
        forward(ops, samples, ops.upload(Tensor.wrap(samples, samples.length)), out);
    }

    /**
     * As {@link #forward(Ops, float[], Tensor)}, the samples also given as the backend's {@code signal} [n]. The
     * clip's mean, which centres the windows, is taken on the host from the input as it arrives, in double.
     */
    void forward(Ops ops, float[] samples, Tensor signal, Tensor out) {
        forward(ops, samples, signal, out, null);
    }

    /**
     * As {@link #forward(Ops, float[], Tensor, Tensor)}; with {@code stats}, each channel is normalised by the
     * whole recording's statistics instead of the clip's (the clip is then a chunk of that recording).
     */
    void forward(Ops ops, float[] samples, Tensor signal, Tensor out, RecordingStats stats) {
        int frames = out.dim(0), k1 = kernel + 1;
        float mean;
        if (stats != null) {
            mean = stats.centre();
        } else {
            double sum = 0;
            for (float x : samples) sum += x;
            mean = (float) (sum / samples.length);
        }
        // The windows of the centred clip, each followed by a 1: [frames, k + 1].
        Tensor x = workspace.take("features.windows", frames, k1);
        ops.frameWindows(signal, kernel, stride, mean, x);
        double[] moments;
        if (stats != null) {
            moments = stats.moments(kernel);
        } else {
            // Their second moments; the last row holds the mean window, since that column is all ones.
            Tensor m = ops.zeros(k1, k1);
            ops.gemm(1f / frames, x.transpose(0, 1), x, 0f, m);
            float[] f = ops.download(m).contiguous().toArray();
            moments = new double[f.length];
            for (int i = 0; i < f.length; i++) moments[i] = f[i];
        }
        // The fold is arithmetic on (k + 1)² moments and the conv's own weights: host work on parameters, not on
        // activations, whose result enters the backend as a packed weight.
        PackedMatrix folded = ops.prepack(Tensor.wrap(foldedWeights(moments), k1, channels));
        ops.linear(x, folded, null, 0f, Activation.GELU, out);
    }

    /** The conv's weights scaled per channel by its normalisation, and the normalised bias as a last row. */
    private float[] foldedWeights(double[] moments) {
        int k1 = kernel + 1;
        double[] m = new double[kernel];
        double[][] cov = new double[kernel][kernel];
        for (int i = 0; i < kernel; i++) m[i] = moments[kernel * k1 + i];
        for (int i = 0; i < kernel; i++) {
            for (int j = 0; j < kernel; j++) cov[i][j] = moments[i * k1 + j] - m[i] * m[j];
        }
        float[] folded = new float[(kernel + 1) * channels];
        for (int c = 0; c < channels; c++) {
            double variance = 0, meanResponse = 0;
            for (int i = 0; i < kernel; i++) {
                double wi = weight[i * channels + c];
                meanResponse += m[i] * wi;
                for (int j = 0; j < kernel; j++) variance += wi * cov[i][j] * weight[j * channels + c];
            }
            double scale = gamma.get(c) / Math.sqrt(Math.max(variance, 0) + eps);
            for (int i = 0; i < kernel; i++) folded[i * channels + c] = (float) (scale * weight[i * channels + c]);
            folded[kernel * channels + c] = (float) (beta.get(c) - scale * meanResponse);
        }
        return folded;
    }
}
