package ser.autograd.kernels;

import java.util.List;
import ser.autograd.reference.ConvShape;

/**
 * The training kernels behind one seam: one backend is chosen at start-up ({@link #named}) and handed to the
 * autograd ops explicitly, as their first argument; a {@link ser.nn.Module} holds the one it runs on
 * ({@link ser.nn.Module#to}). Two backends: the vectorised {@link #SIMD}, the default, and {@link #REFERENCE}, the
 * double-precision references of {@code ser.autograd.reference} rounded to float, which every backend is tested
 * against ({@code SimdKernelsTest}) and benchmarked beside ({@code TrainingKernelsBench}, {@code MelCnnStepBench}).
 *
 * <p>All arrays are dense row-major; outputs are overwritten, never accumulated into. Nullable arguments say
 * "absent" (no bias) or "not wanted" (no input gradient).
 */
public interface Kernels {

    /** The vectorised, multi-threaded kernels: the default. */
    Kernels SIMD = new SimdKernels();
    /** The float64 references, rounded to float: single-threaded and slow, the yardstick. */
    Kernels REFERENCE = new ReferenceKernels();

    /** Every backend, {@link #SIMD} first. */
    static List<Kernels> all() { return List.of(SIMD, REFERENCE); }

    /** The backend {@link #name() called} {@code name}: {@code simd} or {@code reference}. */
    static Kernels named(String name) {
        for (Kernels k : all()) if (k.name().equals(name)) return k;
        throw new IllegalArgumentException("no training backend '" + name + "' (known: "
                + String.join(", ", all().stream().map(Kernels::name).toList()) + ")");
    }

    /** The name {@link #named} knows this backend by. */
    String name();

    /** {@code y[n, out] = x[n, in] · w[out, in]ᵀ + b}. */
    void linearForward(int n, int in, int out, float[] x, float[] w, float[] b, float[] y);

    /** Gradients of {@link #linearForward} for the upstream gradient {@code dy[n, out]}. */
    void linearBackward(int n, int in, int out, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db);

    void conv2dForward(ConvShape s, float[] x, float[] w, float[] b, float[] y);

    void conv2dBackward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db);

    /**
     * Training-mode batch norm of {@code x[n, c, spatial]} with the batch's statistics; writes {@code y}, the
     * per-channel batch mean and biased variance (for the running update and for backward).
     */
    void batchNormTrain(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                        float[] y, float[] mean, float[] var);

    /** Inference-mode batch norm with fixed statistics {@code mean} and {@code var}. */
    void batchNormEval(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                       float[] mean, float[] var, float[] y);

    /** Gradients of {@link #batchNormTrain}, given the batch statistics it returned. */
    void batchNormBackward(int n, int c, int spatial, float[] x, float[] gamma, float eps, float[] mean, float[] var,
                           float[] dy, float[] dx, float[] dgamma, float[] dbeta);

    /**
     * Training-mode batch norm of {@code x[n, c, h, w]}, then 2×2 max pooling, then ReLU, in one: writes
     * {@code y[n, c, h/2, w/2]}, for each output the index in {@code x} of the maximum it came from, and the batch
     * statistics as {@link #batchNormTrain} does.
     */
    void batchNormPoolReluTrain(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                float[] y, int[] from, float[] mean, float[] var);

    /** {@link #batchNormPoolReluTrain} in inference mode, with fixed statistics {@code mean} and {@code var}. */
    void batchNormPoolReluEval(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                               float[] mean, float[] var, float[] y);

    /**
     * Gradients of {@link #batchNormPoolReluTrain} for the upstream gradient {@code dy[n, c, h/2, w/2]}, given its
     * outputs. {@code dx} may be {@code x} itself, which then holds the input gradient instead of the input.
     */
    void batchNormPoolReluBackward(int n, int c, int h, int w, float[] x, float[] gamma, float eps, float[] mean,
                                   float[] var, float[] y, int[] from, float[] dy, float[] dx, float[] dgamma,
                                   float[] dbeta);

    /**
     * Max pooling of {@code x[n, c, h, w]} with a {@code kernel × kernel} window every {@code stride}, no padding,
     * floor rounding: writes {@code y[n, c, oh, ow]} and, for each output, the index in {@code x} of the maximum it
     * took. Ties and NaNs go as in PyTorch's CPU kernel: the first maximum in window order wins, and a NaN always.
     */
    void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, float[] x, float[] y, int[] from);

    /**
     * Gradient of {@link #maxPoolForward}: each {@code dy} goes to its window's maximum in {@code dx} (summed where
     * overlapping windows share one), zero elsewhere. A backend may take the maxima from {@code from} or find them
     * again in {@code x}.
     */
    void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, float[] x, int[] from, float[] dy,
                         float[] dx);

    /** {@code y = max(x, 0)} element-wise ({@link Math#max}: a NaN stays NaN). */
    void reluForward(float[] x, float[] y);

    /** Gradient of {@link #reluForward}: {@code dx = dy} where {@code x > 0}, else 0 (PyTorch's choice at the kink). */
    void reluBackward(float[] x, float[] dy, float[] dx);

    /**
     * The exact GELU, {@code y = x·Φ(x)} element-wise (erf-based, PyTorch's default). A backend may flush results
     * that would be subnormal to zero.
     */
    void geluForward(float[] x, float[] y);

    /** Gradient of {@link #geluForward}: {@code dx = dy·(Φ(x) + x·φ(x))}; subnormal results may be flushed to zero. */
    void geluBackward(float[] x, float[] dy, float[] dx);

    /**
     * Inverted dropout with a given {@code mask} of scale factors (0 where dropped, {@code 1/(1 − p)} where kept):
     * {@code y = x·mask} element-wise. The mask is the caller's: drawing it is no kernel's business.
     */
    void dropoutForward(float[] x, float[] mask, float[] y);

    /** Gradient of {@link #dropoutForward}: {@code dx = dy·mask}. */
    void dropoutBackward(float[] mask, float[] dy, float[] dx);

    /**
     * The mean over time of frames {@code x[n, t, d]}: {@code y[n, d]}, over the real frames of each sequence.
     * {@code mask[n, t]} holds 1 for a real frame and 0 for padding (null: every frame is real); a sequence without
     * a real frame is an {@link IllegalArgumentException}. Subnormal results may be flushed to zero.
     */
    void timeMeanForward(int n, int t, int d, float[] x, float[] mask, float[] y);

    /** Gradient of {@link #timeMeanForward}: {@code dx[n, t, d]}, each real frame's share of {@code dy[n, d]}. */
    void timeMeanBackward(int n, int t, int d, float[] mask, float[] dy, float[] dx);

    /**
     * Softmax cross-entropy of {@code logits[n, c]} against class indices {@code targets[n]} with PyTorch's
     * {@code CrossEntropyLoss(weight, label_smoothing)} semantics and mean reduction ({@code weights} nullable: all
     * 1; see {@link ser.autograd.reference.CrossEntropyReference}): the loss, which may be flushed to zero where it
     * would be subnormal.
     */
    float crossEntropyForward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing);

    /**
     * Gradient of {@link #crossEntropyForward} times the loss's upstream gradient: {@code dlogits[n, c]}. A backend
     * may set gradients too small to matter (and subnormal ones) to zero.
     */
    void crossEntropyBackward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing,
                              float upstream, float[] dlogits);

    /**
     * Gradients of a convolution whose output {@code conv} went through {@link #batchNormPoolReluTrain}: batch
     * norm's, pooling's and ReLU's backward into {@code conv}, then the convolution's from it. {@code conv} is
     * overwritten. A backend may fuse the two steps; the definition is this composition.
     */
    default void convBlockBackward(ConvShape s, float[] x, float[] w, float[] conv, float[] gamma, float eps,
                                   float[] mean, float[] var, float[] y, int[] from, float[] dy, float[] dx,
                                   float[] dw, float[] db, float[] dgamma, float[] dbeta) {
        batchNormPoolReluBackward(s.n(), s.cout(), s.outH(), s.outW(), conv, gamma, eps, mean, var, y, from, dy, conv,
                dgamma, dbeta);
        conv2dBackward(s, x, w, conv, dx, dw, db);
    }
}
