package ser.tensor;

/**
 * The numeric operations that all model code runs on, whatever the backend: {@link ScalarOps} (the plain
 * reference), {@link SimdOps} (Vector API, multi-core GEMM) and later a CUDA backend. {@link Backends} lists
 * those present.
 *
 * <h2>Memory</h2>
 * A backend owns the memory its operations read: model code allocates activations through {@link #zeros} and
 * {@link #workspace()}, brings host data (a waveform) in with {@link #upload} and results out with
 * {@link #download}. On the CPU backends that memory is the heap and host tensors are read where they are, so
 * upload and download are the identity or a copy; a device backend allocates {@link Storage#DEVICE} tensors,
 * which host code cannot read. Weights enter through {@link #prepack}, or as host views that a device backend
 * uploads once.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every operation writes into a caller-provided output tensor and allocates no tensors itself, so that a
 *       model can reuse its activation buffers across steps.</li>
 *   <li>Inputs and outputs may be any views (slices, transposes, broadcasts, heap or off-heap); fast backends are
 *       fastest when the last axis has unit stride.</li>
 *   <li>Element-wise and row-wise operations may write in place: {@code out} may be the very same view as an
 *       input. Partly overlapping views are not allowed. In {@link #gemm} {@code c} must not overlap {@code a}
 *       or {@code b}.</li>
 *   <li>Binary operations broadcast both inputs as NumPy does (a bias {@code [D]} against activations
 *       {@code [T, D]}, a column {@code [T, 1]} against {@code [T, D]}); {@code out} must have the broadcast
 *       shape.</li>
 *   <li>Row-wise operations (reductions, softmax, layer norm) work along the last axis. A reduction writes one
 *       value per row into {@code out} of {@code a}'s shape without the last axis, or with the last axis 1.</li>
 *   <li>Shape mismatches are programming errors and throw {@link IllegalArgumentException}.</li>
 * </ul>
 * Backends agree to within float rounding: sums may be reordered, nothing else ({@code OpsParityTest} holds every
 * backend that {@link Backends} lists to {@link ScalarOps}; {@code BackendParityTest} goes through every host layout).
 */
public interface Ops {

    // ---- memory -------------------------------------------------------------------------------------------

    /** A new zero-filled contiguous tensor in this backend's memory; on the CPU backends, a heap array. */
    default Tensor zeros(int... shape) {
        return Tensor.zeros(shape);
    }

    /** A new set of named, per-thread, reusable activation buffers in this backend's memory. */
    default Workspace workspace() {
        return new HeapWorkspace();
    }

    /**
     * {@code host} where this backend's operations can read it: on the CPU backends {@code host} itself (any
     * host storage, no copy), on a device a copy in device memory. The result must be treated as read-only.
     */
    default Tensor upload(Tensor host) {
        if (!host.isHost()) throw new IllegalArgumentException("upload of " + host + ", which is not in host memory");
        return host;
    }

    /**
     * {@code t} where host code can read it: on the CPU backends {@code t} itself, on a device a host copy.
     */
    default Tensor download(Tensor t) {
        if (!t.isHost()) {
            throw new IllegalStateException(getClass().getSimpleName() + " cannot download " + t + ", which it does not own");
        }
        return t;
    }

    /**
     * A new dense tensor in this backend's memory holding {@code t}, which is on the host or this backend's: a
     * weight moved to the backend, a gradient made its own.
     */
    default Tensor copyOf(Tensor t) {
        Tensor c = zeros(t.shape());
        copy(t.isHost() ? upload(t) : t, c);
        return c;
    }

    /** Copies {@code t} into {@code host} (same shape, any host storage and strides); nothing when they are one. */
    default void download(Tensor t, Tensor host) {
        if (!host.isHost()) throw new IllegalArgumentException("download into " + host + ", which is not in host memory");
        if (t != host) host.copyFrom(download(t));
    }

    /** Copies {@code t} into {@code host} in row-major order; {@code host.length} must equal {@code t.size()}. */
    default void download(Tensor t, float[] host) {
        download(t, Tensor.wrap(host, t.shape()));
    }

    // ---- linear algebra -----------------------------------------------------------------------------------

    /**
     * {@code c = alpha · a · b + beta · c} for {@code a[M,K]}, {@code b[K,N]}, {@code c[M,N]}. With
     * {@code beta == 0} the old contents of {@code c} are ignored (even NaN), as in BLAS.
     *
     * <p>Transposed operands are views, not flags: a linear layer with weights {@code w[out,in]} computes
     * {@code y = x · wᵀ} as {@code gemm(1, x, w.transpose(0, 1), 0, y)}, and attention scores of one head as
     * {@code gemm(1 / sqrt(d), q, k.transpose(0, 1), 0, scores)}, where {@code q} and {@code k} may be column
     * slices of a packed {@code [T, 3·D]} projection. Nothing is copied beyond the backend's own packing.
     */
    void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c);

    /** {@code c = a · b}. */
    default void matmul(Tensor a, Tensor b, Tensor c) { gemm(1f, a, b, 0f, c); }

    /**
     * Prepares a constant right-hand operand {@code b[K,N]} (a weight matrix, or its transposed view) for
     * repeated {@link #gemm(float, Tensor, PackedMatrix, float, Tensor)} calls: a model does this once per weight
     * at load time. The result snapshots {@code b} in the backend's own layout; {@code b} must not change
     * afterwards. The reference just keeps the view.
     */
    PackedMatrix prepack(Tensor b);

    /** {@code c = alpha · a · b + beta · c} with {@code b} prepared by {@link #prepack}; same rules as the other form. */
    void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c);

    /**
     * A linear layer: {@code out = activation(x · w + beta · out + bias)}, with {@code w} prepacked, {@code bias}
     * a vector of {@code out}'s width or null, {@code beta} 0 (a plain layer) or 1 (one whose output adds to a
     * residual already in {@code out}). The result is exactly that of {@link #gemm}, then {@link #add} of the
     * bias, then the activation, in that order; a backend may apply the last two to each block of the product
     * while it is still in cache, instead of two more passes over {@code out}.
     */
    default void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        gemm(1f, x, w, beta, out);
        if (bias != null) add(out, bias, out);
        if (activation == Activation.GELU) gelu(out, out);
    }

    /**
     * {@link #linear} of the difference {@code x - y} (same shape): {@code out = activation((x - y) · w + beta · out
     * + bias)}, each difference rounded once. A backend may form the differences as it reads x for the product
     * instead of in a pass of their own.
     */
    default void linearOfDifference(Tensor x, Tensor y, PackedMatrix w, Tensor bias, float beta, Activation activation,
                                    Tensor out) {
        Tensor difference = zeros(x.shape());
        sub(x, y, difference);
        linear(difference, w, bias, beta, activation, out);
    }

    /**
     * Scaled dot-product attention of one head over its first {@code keys} keys:
     * {@code out = softmax((scale · q) · k[0:keys]ᵀ) · v[0:keys]}, the softmax along each query's row of scores,
     * {@code scale · q} rounded to float first (as a reference that scales its queries before the product). The
     * keys from {@code keys} on are padding and take no part, which is what an additive mask of -10000 or -∞ on
     * them amounts to in float32. {@code q [Tq, d]}, {@code k [Tk, d]}, {@code v [Tk, e]}, {@code out [Tq, e]},
     * {@code 1 ≤ keys ≤ Tk}; any views (columns of a fused q/k/v projection); {@code out} overlaps none of them.
     *
     * <p>This default is the unblocked form, the Tq × keys scores materialised: two GEMMs around a softmax. A
     * backend may instead run it blocked, flash-style: scores a block of keys at a time with a running maximum and
     * sum per query (online softmax), never holding the Tq × Tk matrix; the result differs in rounding only.
     */
    default void attention(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        Shapes.checkAttention(q, k, v, keys, out);
        if (q.dim(0) == 0) return;
        Tensor scaled = zeros(q.shape());
        scale(q, scale, scaled);
        Tensor scores = zeros(q.dim(0), keys);
        gemm(1f, scaled, k.slice(0, 0, keys).transpose(0, 1), 0f, scores);
        softmax(scores, scores);
        gemm(1f, scores, v.slice(0, 0, keys), 0f, out);
    }

    /**
     * Multi-head self-attention over a padded batch of {@code keys.length} sequences of T rows each: for sequence
     * b and head h, the rows {@code [b·T, (b+1)·T)} and columns {@code [h·d, (h+1)·d)} of {@code out} are
     * {@link #attention} of that head's queries, keys and values over the sequence's first {@code keys[b]} keys.
     * {@code qkv} is {@code [B·T, 3·D]}, the q, k and v projections side by side, {@code out} {@code [B·T, D]},
     * {@code d = D / heads}, each {@code keys[b]} in {@code 1..T}.
     *
     * <p>This default runs {@link #attention} once a (sequence, head), the pairs spread over {@code parallel}'s
     * threads (each one's small GEMMs run single-threaded inside its task); a device backend overrides it with a
     * few batched launches instead of B · heads small ones, and may ignore {@code parallel}.
     */
    default void multiHeadAttention(Tensor qkv, int[] keys, int heads, float scale, Parallel parallel, Tensor out) {
        Shapes.checkMultiHeadAttention(qkv, keys, heads, out);
        int batch = keys.length, steps = qkv.dim(0) / batch, dim = out.dim(1), headDim = dim / heads;
        parallel.parallelFor(batch * heads, job -> {
            int b = job / heads, h = job % heads;
            Tensor rows = qkv.slice(0, b * steps, (b + 1) * steps);
            attention(rows.slice(1, h * headDim, (h + 1) * headDim),
                    rows.slice(1, dim + h * headDim, dim + (h + 1) * headDim),
                    rows.slice(1, 2 * dim + h * headDim, 2 * dim + (h + 1) * headDim), keys[b], scale,
                    out.slice(0, b * steps, (b + 1) * steps).slice(1, h * headDim, (h + 1) * headDim));
        });
    }

    // ---- element-wise -------------------------------------------------------------------------------------

    /** {@code out = a}, any views of one shape (a layer's input carried into its residual output, say). */
    default void copy(Tensor a, Tensor out) {
        scale(a, 1f, out);  // exact: 1 · x is x for every float, NaN and -0 included
    }

    /** {@code out = a + b}, broadcasting. */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code out = a - b}, broadcasting. */
    void sub(Tensor a, Tensor b, Tensor out);

    /** {@code out = a · b} element by element, broadcasting. */
    void mul(Tensor a, Tensor b, Tensor out);

    /** {@code out = s · a}. */
    void scale(Tensor a, float s, Tensor out);

    /** {@code out = a + s}. */
    void addScalar(Tensor a, float s, Tensor out);

    /** {@code out = max(a, 0)}. */
    void relu(Tensor a, Tensor out);

    /** The exact GELU, {@code out = a · Φ(a) = a/2 · (1 + erf(a/√2))} (PyTorch's default, not the tanh form). */
    void gelu(Tensor a, Tensor out);

    void exp(Tensor a, Tensor out);

    /** Natural logarithm. */
    void log(Tensor a, Tensor out);

    void sqrt(Tensor a, Tensor out);

    // ---- reductions ---------------------------------------------------------------------------------------

    /** Sum of each row (last axis). */
    void sum(Tensor a, Tensor out);

    /** Maximum of each row; NaN if the row holds one. */
    void max(Tensor a, Tensor out);

    /** Mean of each row. */
    void mean(Tensor a, Tensor out);

    /**
     * Index of the maximum of each row, in row-major row order; the first one on ties, the first NaN if the row
     * holds one (as NumPy). {@code out.length} must be the number of rows.
     */
    void argmax(Tensor a, int[] out);

    /** Sum of all elements. */
    float sumAll(Tensor a);

    // ---- row-wise -----------------------------------------------------------------------------------------

    /** Softmax of each row, computed as {@code exp(x - max) / Σ exp(x - max)} so that it cannot overflow. */
    void softmax(Tensor a, Tensor out);

    /** Log-softmax of each row, {@code x - max - log Σ exp(x - max)}. */
    void logSoftmax(Tensor a, Tensor out);

    /**
     * Layer norm of each row: {@code (x - mean) / sqrt(var + eps) · gamma + beta} with the biased variance, as
     * PyTorch. {@code gamma} and {@code beta} are vectors of the row length, or {@code null} for 1 and 0.
     */
    void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out);

    // ---- sequences: padding, masking, windows -------------------------------------------------------------

    /**
     * {@code out = x} with the rows {@code t ≥ lengths[b]} of each sequence {@code b} set to 0: x and out are
     * {@code [B, T, ...]}, each {@code lengths[b]} in {@code 0..T}. Zeroes a padded batch's padded frames (HuBERT
     * after its feature projection). May run in place.
     */
    void maskRows(Tensor x, int[] lengths, Tensor out);

    /**
     * Zero padding along the first axis: {@code out[before + t] = x[t]} for every row {@code t} of x, and every
     * other row of {@code out} 0. {@code out} is {@code [R, ...]} with x's trailing axes and
     * {@code R ≥ before + x.dim(0)}; the two must not overlap. A conv's padded input, whose overlapping rows are
     * then its windows (HuBERT's positional conv).
     */
    void padRows(Tensor x, int before, Tensor out);

    /**
     * The windows of a signal, one a row, less {@code shift}: {@code out[t, j] = signal[t·stride + j] - shift}
     * for {@code j < kernel}, rounded once, and, when {@code out} is {@code [frames, kernel + 1]}, a last column
     * of ones (a bias column for the GEMM that follows). {@code signal} is {@code [n]}; every window must lie
     * inside it. The im2col matrix of a conv over raw samples (HuBERT's first conv with group norm).
     */
    void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out);
}
