package ser.cuda;

import java.lang.foreign.MemorySegment;

/**
 * What {@link CudaOps} asks of a GPU: memory, copies, our element-wise, row and sequence kernels, and cuBLAS's GEMM.
 * {@link CudaGpu} runs them on a CUDA device; the kernels' tests run the same calls on a host emulation whose Java
 * twin of each kernel is its reference (kernels/src/test: {@code HostGpu}), so every line of {@link CudaOps} is
 * exercised without a GPU and only the {@code .cu} bodies need one.
 *
 * <p>Pointers are device addresses as {@code long}s, in bytes; counts are in elements (floats, or ints where
 * said). Work runs in call order on one stream; {@link #download} waits for it.
 */
interface Gpu {

    /** A short description ("cuda:0 NVIDIA H100 80GB HBM3, sm_90"). */
    String name();

    long malloc(long bytes);

    void free(long pointer);

    /** Copies {@code bytes} of native host memory to the device; {@code src} may be reused when this returns. */
    void upload(long dst, MemorySegment src, long bytes);

    /** Waits for the work queued so far, then copies {@code bytes} from the device into native host memory. */
    void download(MemorySegment dst, long src, long bytes);

    /** Sets {@code count} 32-bit words at {@code dst} to {@code bits}. */
    void fill32(long dst, int bits, long count);

    // ---- kernels: one method a kernel, arguments in the order of its .cu signature ----------------------------------

    /** {@code strided_map}: {@code out[i] = op(x[i], y[i], s)} over a {@link StridedMap} layout (strided_map.cu). */
    void stridedMap(StridedMap map, long x, long y, long out);

    /** {@code row_reduce}: one value per contiguous row of {@code cols}: sum, max or mean (row_ops.cu). */
    void rowReduce(int op, long x, long out, long rows, int cols);

    /** {@code row_softmax}: softmax (or log-softmax) of each contiguous row (row_ops.cu). */
    void rowSoftmax(long x, long out, long rows, int cols, boolean log);

    /** {@code row_argmax}: the first index of each contiguous row's maximum, NaN first, as ints (row_ops.cu). */
    void rowArgmax(long x, long outInts, long rows, int cols);

    /** {@code row_layer_norm}: layer norm of each contiguous row; {@code gamma}, {@code beta} 0 for 1 and 0 (row_ops.cu). */
    void rowLayerNorm(long x, long gamma, long beta, long out, long rows, int cols, float eps);

    /** {@code mask_rows}: contiguous [batch, t, width]; rows {@code t ≥ lengths[b]} (device ints) zeroed (sequence_ops.cu). */
    void maskRows(long x, long out, long lengths, int batch, int t, long width);

    /**
     * {@code frame_windows}: {@code out[f, j] = signal[f·stride + j] - shift} for {@code j < kernel}, and 1 in the
     * column {@code kernel} when {@code width == kernel + 1}; out contiguous [frames, width] (sequence_ops.cu).
     */
    void frameWindows(long signal, long out, int frames, int kernel, int stride, float shift, int width);

    /** {@code f32_to_bf16}, contiguous (elementwise.cu). */
    void toBf16(long x, long y, long n);

    // ---- cuBLAS ----------------------------------------------------------------------------------------------------

    /**
     * Row-major, strided-batched {@code C[i] = alpha · op(A[i]) · op(B[i]) + beta · C[i]} for {@code i < batch},
     * {@code X[i]} at {@code X + i · strideX} elements (see {@link Cublas#gemmRowMajor}); A and B bf16 in
     * {@link Cublas.Precision#BF16}, fp32 otherwise; C fp32.
     */
    void gemm(Cublas.Precision precision, boolean transA, boolean transB, int m, int n, int k, float alpha,
              long a, int lda, long strideA, long b, int ldb, long strideB, float beta, long c, int ldc, long strideC,
              int batch);

    // ---- training: pointwise, loss, optimisers ----------------------------------------------------------------------

    /** Operations of {@code activation_grad}, as numbered in training_pointwise.cu. */
    int RELU_BACKWARD = 0, GELU_BACKWARD = 1, TANH = 2, TANH_BACKWARD = 3;

    /** {@code activation_grad}: {@code out[i] = op(x[i], dy[i])}, contiguous; dy unread for TANH (training_pointwise.cu). */
    void activationGrad(int op, long x, long dy, long out, long n);

    /** {@code gated_mix_forward}: gate = σ(z) (0: not wanted), y = gate·a + (1 − gate)·b (training_pointwise.cu). */
    void gatedMixForward(long z, long a, long b, long gate, long y, long n);

    /** {@code gated_mix_backward}: dz, da, db (each 0: not wanted) from the gate (training_pointwise.cu). */
    void gatedMixBackward(long gate, long a, long b, long dy, long dz, long da, long db, long n);

    /** {@code time_frames}: {@code frames[i] = Σ_s mask[i, s]}, doubles (training_pointwise.cu). */
    void timeFrames(long mask, long frames, int n, int t);

    /** {@code time_mean_forward}: mask and frames (doubles) 0 for every frame real (training_pointwise.cu). */
    void timeMeanForward(long x, long mask, long frames, long y, int n, int t, int d);

    /** {@code time_mean_backward}: mask and frames 0 for every frame real (training_pointwise.cu). */
    void timeMeanBackward(long mask, long frames, long dy, long dx, int n, int t, int d);

    /** {@code layer_mix_forward}: {@code y[i, r] = Σ_l p[l]·x[i, l, r]}, p floats (training_pointwise.cu). */
    void layerMixForward(long x, long p, long y, int n, int layers, int rest);

    /** {@code layer_mix_backward_dx}: {@code dx[i, l, r] = p[l]·dy[i, r]} (training_pointwise.cu). */
    void layerMixBackwardDx(long p, long dy, long dx, int n, int layers, int rest);

    /** {@code layer_mix_backward_dp}: {@code dots[i·layers + l] = Σ_r dy[i, r]·x[i, l, r]}, doubles (training_pointwise.cu). */
    void layerMixBackwardDp(long x, long dy, long dots, int n, int layers, int rest);

    /** {@code cross_entropy_forward}: each row's loss term, doubles; targets ints, weights 0 for all 1 (loss.cu). */
    void crossEntropyForward(long logits, long targets, long weights, long rows, int n, int c, double smoothing);

    /** {@code cross_entropy_backward}: {@code dlogits}, given Σ w[target] and Σ w (loss.cu). */
    void crossEntropyBackward(long logits, long targets, long weights, long dlogits, int n, int c, double smoothing,
                              double norm, double weightSum, float upstream);

    /** {@code adam_step}: w, m, v updated in place (optim.cu). */
    void adamStep(long w, long g, long m, long v, long n, float beta1, float beta2, float eps, float weightDecay,
                  boolean decoupled, float stepSize, float decay, double correction2Root);

    /** {@code sgd_step}: w and the momentum buffer (0 without momentum) updated in place (optim.cu). */
    void sgdStep(long w, long g, long buf, long n, float lr, float momentum, float dampening, float weightDecay,
                 boolean nesterov, boolean first);

    /** {@code sum_of_squares}: over {@code blocks} blocks of a grid-stride launch, one double a block (optim.cu). */
    void sumOfSquares(long g, long partials, long n, int blocks);

    // ---- training: layers ----

    /** {@code im2col}: columns [cin·kh·kw, batch·oh·ow] of a chunk of {@code batch} examples x[batch, cin, h, w] (conv.cu). */
    void im2col(long x, long col, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow);

    /** {@code col2im}: dx[batch, cin, h, w], each element the sum of its column entries, gathered (conv.cu). */
    void col2im(long col, long dx, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow);

    /** {@code channel_sum}: partial[ch, s] = Σ x[·, ch, ·] over slice s of x[n, c, spatial] (batch_norm.cu). */
    void channelSum(long x, long partial, int n, int c, int spatial, int slices);

    /** {@code sum_slices}: out_j[ch] = Σ_s partial[ch, s, j] for j < pairs (1 or 2) (batch_norm.cu). */
    void sumSlices(long partial, int pairs, long out0, long out1, int c, int slices);

    /** {@code batch_norm_stats}: partial[ch, s] = (mean, Σ (x − mean)²) of slice s of x[n, c, spatial] (batch_norm.cu). */
    void batchNormStats(long x, long partial, int n, int c, int spatial, int slices);

    /** {@code batch_norm_stats_merge}: the slices combined into the mean and biased variance (batch_norm.cu). */
    void batchNormStatsMerge(long partial, long mean, long var, int c, int slices, long count);

    /** {@code batch_norm_apply}: y = (x − mean)/sqrt(var + eps)·gamma + beta; gamma, beta 0 for 1 and 0 (batch_norm.cu). */
    void batchNormApply(long x, long gamma, long beta, long mean, long var, long y, int n, int c, int spatial, float eps);

    /** {@code batch_norm_backward_sums}: partial[ch, s] = (Σ dy·x̂, Σ dy) over slice s (batch_norm.cu). */
    void batchNormBackwardSums(long x, long dy, long mean, long var, long partial, int n, int c, int spatial, float eps,
                               int slices);

    /** {@code batch_norm_backward_dx}: dx of training batch norm, or of inference with the sums 0 (batch_norm.cu). */
    void batchNormBackwardDx(long x, long dy, long gamma, long mean, long var, long sumDyXhat, long sumDy, long dx, int n,
                             int c, int spatial, float eps);

    /** {@code batch_norm_running_update}: the running statistics' momentum update (batch_norm.cu). */
    void batchNormRunningUpdate(long runningMean, long runningVar, long mean, long var, int c, float momentum, float count,
                                float countLessOne);

    /** {@code max_pool_forward}: y and the index in x (ints) of each window's maximum (pooling.cu). */
    void maxPoolForward(long x, long y, long fromInts, long planes, int h, int w, int oh, int ow, int kernel, int stride);

    /** {@code max_pool_backward}: dx gathered from the windows whose maximum it is; gate 0 or a ReLU's output (pooling.cu). */
    void maxPoolBackward(long fromInts, long dy, long gate, long dx, long planes, int h, int w, int oh, int ow, int kernel,
                         int stride);

    /** {@code batch_norm_pool_relu}: batch norm, 2×2 max pooling, ReLU; fromInts 0 when not wanted (pooling.cu). */
    void batchNormPoolRelu(long x, long gamma, long beta, long mean, long var, long y, long fromInts, int n, int c, int h,
                           int w, float eps);
}
