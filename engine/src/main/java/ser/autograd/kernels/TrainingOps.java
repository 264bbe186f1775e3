package ser.autograd.kernels;

import ser.autograd.reference.ConvShape;
import ser.tensor.Ops;
import ser.tensor.Tensor;

/**
 * The one seam of training: {@link Ops}, plus the forward and backward kernels of the training ops and the
 * optimisers' updates, on the tensors of one backend. Every autograd op, module and optimiser computes through it,
 * so a model trains wherever its backend computes: {@link HostTrainingOps} on the CPU (the vectorised
 * {@link Kernels#SIMD} or the float64 {@link Kernels#REFERENCE}), the CUDA backend on a GPU.
 *
 * <p>Conventions, beyond {@link Ops}'s: every tensor here is dense and row-major from its first element, in this
 * backend's memory ({@link #zeros}, {@link #upload}); shapes are the callers' business and given as counts; outputs
 * are overwritten, never accumulated into; a null output is one not wanted, a null input one absent (no bias).
 * Host arrays in arguments ({@code targets}, class weights, layer mixtures) are small and read as they are.
 * {@code LayerTrainingOpsParityTest} and {@code PointwiseTrainingOpsParityTest} hold every backend to
 * {@link HostTrainingOps#REFERENCE}, method by method; {@code MelCnnStepBackendsTest}, whole training steps.
 */
public interface TrainingOps extends Ops {

    /** Where each output of a max pooling took its maximum: ints in this backend's memory, opaque to callers. */
    interface Indices {
        int size();
    }

    /** Room for {@code size} pooling indices, contents unspecified. */
    Indices indices(int size);

    // ---- layers ---------------------------------------------------------------------------------------------

    /** {@code y[n, out] = x[n, in] · w[out, in]ᵀ + b}. */
    void linearForward(int n, int in, int out, Tensor x, Tensor w, Tensor b, Tensor y);

    /** Gradients of {@link #linearForward} for the upstream gradient {@code dy[n, out]}. */
    void linearBackward(int n, int in, int out, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db);

    void conv2dForward(ConvShape s, Tensor x, Tensor w, Tensor b, Tensor y);

    void conv2dBackward(ConvShape s, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db);

    /** As {@link Kernels#batchNormTrain}: {@code x[n, c, spatial]}; writes y and the batch mean and biased variance. */
    void batchNormTrain(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps,
                        Tensor y, Tensor mean, Tensor var);

    /** Inference-mode batch norm with fixed statistics. */
    void batchNormEval(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps,
                       Tensor mean, Tensor var, Tensor y);

    /** Gradients of {@link #batchNormTrain}, given the batch statistics it wrote. */
    void batchNormBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var,
                           Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta);

    /** Gradients of {@link #batchNormEval}: an affine map per channel. */
    void batchNormEvalBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean,
                               Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta);

    /**
     * {@code running = (1 − momentum)·running + momentum·batch} per channel, with the batch variance made unbiased
     * over {@code count} values, as PyTorch: {@code runningVar += …·var·count/(count − 1)}.
     */
    void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, float momentum,
                            long count);

    /** As {@link Kernels#batchNormPoolReluTrain}: batch norm, 2×2 max pooling and ReLU of {@code x[n, c, h, w]} in one. */
    void batchNormPoolReluTrain(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps,
                                Tensor y, Indices from, Tensor mean, Tensor var);

    void batchNormPoolReluEval(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps,
                               Tensor mean, Tensor var, Tensor y);

    /** Gradients of {@link #batchNormPoolReluTrain}; {@code dx} may be {@code x} itself. */
    void batchNormPoolReluBackward(int n, int c, int h, int w, Tensor x, Tensor gamma, float eps, Tensor mean,
                                   Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dgamma,
                                   Tensor dbeta);

    /**
     * Gradients of a convolution whose output {@code conv} went through {@link #batchNormPoolReluTrain}, which
     * overwrites {@code conv}. This default is the definition: the two backward passes in turn.
     */
    default void convBlockBackward(ConvShape s, Tensor x, Tensor w, Tensor conv, Tensor gamma, float eps,
                                   Tensor mean, Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx,
                                   Tensor dw, Tensor db, Tensor dgamma, Tensor dbeta) {
        batchNormPoolReluBackward(s.n(), s.cout(), s.outH(), s.outW(), conv, gamma, eps, mean, var, y, from, dy,
                conv, dgamma, dbeta);
        conv2dBackward(s, x, w, conv, dx, dw, db);
    }

    /** As {@link Kernels#maxPoolForward}: ties and NaNs as PyTorch's CPU kernel. */
    void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Tensor y, Indices from);

    void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Indices from, Tensor dy,
                         Tensor dx);

    // ---- element-wise ---------------------------------------------------------------------------------------

    /** {@code y = max(x, 0)}, a NaN staying NaN. */
    default void reluForward(Tensor x, Tensor y) { relu(x, y); }

    /** {@code dx = dy} where {@code x > 0}, else 0. */
    void reluBackward(Tensor x, Tensor dy, Tensor dx);

    /** The exact GELU. */
    default void geluForward(Tensor x, Tensor y) { gelu(x, y); }

    /** {@code dx = dy·(Φ(x) + x·φ(x))}. */
    void geluBackward(Tensor x, Tensor dy, Tensor dx);

    /** {@code y = tanh(x)}. */
    void tanhForward(Tensor x, Tensor y);

    /** Gradient of {@link #tanhForward} from its output: {@code dx = dy·(1 − y²)}. */
    void tanhBackward(Tensor y, Tensor dy, Tensor dx);

    /** Inverted dropout with a given mask of scale factors: {@code y = x·mask}. */
    default void dropoutForward(Tensor x, Tensor mask, Tensor y) { mul(x, mask, y); }

    /** {@code dx = dy·mask}. */
    default void dropoutBackward(Tensor mask, Tensor dy, Tensor dx) { mul(dy, mask, dx); }

    /**
     * {@code gate = σ(z)}, {@code y = gate·a + (1 − gate)·b} element-wise (σ in double, rounded once, as
     * {@link ser.autograd.reference.GatedMixReference}).
     */
    void gatedMixForward(Tensor z, Tensor a, Tensor b, Tensor gate, Tensor y);

    /** Gradients of {@link #gatedMixForward}, given its gate. */
    void gatedMixBackward(Tensor gate, Tensor a, Tensor b, Tensor dy, Tensor dz, Tensor da, Tensor db);

    // ---- sequences ------------------------------------------------------------------------------------------

    /** As {@link Kernels#timeMeanForward}: {@code mask[n, t]} (1 real, 0 padding) or null. */
    void timeMeanForward(int n, int t, int d, Tensor x, Tensor mask, Tensor y);

    void timeMeanBackward(int n, int t, int d, Tensor mask, Tensor dy, Tensor dx);

    /**
     * {@code y[i, r] = Σ_l p[l]·x[i, l, r]} for {@code x[n, layers, rest]}, the layers in order, each
     * {@code p[l]} rounded to float.
     */
    void layerMixForward(int n, int layers, int rest, Tensor x, double[] p, Tensor y);

    /**
     * Gradients of {@link #layerMixForward}: {@code dx} (null: not wanted) and, into {@code dp[layers]}, each
     * layer's {@code Σ dy·x} in double (per example, then over examples in order).
     */
    void layerMixBackward(int n, int layers, int rest, Tensor x, double[] p, Tensor dy, Tensor dx, double[] dp);

    // ---- loss -----------------------------------------------------------------------------------------------

    /** As {@link Kernels#crossEntropyForward}: the mean loss of {@code logits[n, c]}; {@code weights} nullable. */
    float crossEntropyForward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing);

    void crossEntropyBackward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing,
                              float upstream, Tensor dlogits);

    // ---- optimisers -----------------------------------------------------------------------------------------

    /**
     * One Adam update of {@code w} from {@code g} with moments {@code m}, {@code v}, element by element as
     * {@code torch.optim.Adam} 1.13's single-tensor path (see {@link AdamStep}).
     */
    void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, AdamStep step);

    /** The constants of one Adam step; the bias corrections come from the step count. */
    record AdamStep(float beta1, float beta2, float eps, float weightDecay, boolean decoupled, float stepSize,
                    float decay, double correction2Root) {}

    /** One SGD update of {@code w} from {@code g}; {@code momentum} is the buffer (null without momentum). */
    void sgdStep(Tensor w, Tensor g, Tensor momentum, SgdStep step);

    /** The constants of one SGD step; {@code first}: the momentum buffer starts as the gradient. */
    record SgdStep(float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean first) {}

    /** {@code Σ g²} in double (gradient clipping's global norm). */
    double sumOfSquares(Tensor g);
}
