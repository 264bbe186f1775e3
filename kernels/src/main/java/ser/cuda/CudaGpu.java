package ser.cuda;

import java.lang.foreign.MemorySegment;

/** {@link Gpu} on a CUDA device: the driver's memory and copies, our kernels and cuBLAS, all on the device's stream. */
final class CudaGpu implements Gpu {

    private final Cuda.Device dev;
    /**
     * Platform threads that have made the device's context current: driver calls need it, and any thread may call.
     * A virtual thread sets it on every call, since the context is bound to the carrier it happens to run on.
     */
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);

    CudaGpu(Cuda.Device dev) {
        this.dev = dev;
    }

    private Driver driver() {
        if (Thread.currentThread().isVirtual()) {
            dev.driver().setCurrent(dev.context());
        } else if (!current.get()) {
            dev.driver().setCurrent(dev.context());
            current.set(true);
        }
        return dev.driver();
    }

    private CudaKernels kernels() {
        driver();
        return dev.kernels();
    }

    @Override public String name() {
        return "cuda:" + dev.ordinal() + " " + dev.name() + ", sm_" + dev.computeCapability();
    }

    @Override public long malloc(long bytes) { return driver().malloc(bytes); }

    @Override public void free(long pointer) { driver().free(pointer); }

    @Override public void upload(long dst, MemorySegment src, long bytes) {
        driver().copyToDevice(dst, src, bytes, dev.stream());
        driver().synchronize(dev.stream());  // src is the caller's again when this returns
    }

    @Override public void download(MemorySegment dst, long src, long bytes) {
        driver().copyToHost(dst, src, bytes, dev.stream());
        driver().synchronize(dev.stream());
    }

    @Override public void fill32(long dst, int bits, long count) { driver().fill32(dst, bits, count, dev.stream()); }

    @Override public void stridedMap(StridedMap map, long x, long y, long out) { kernels().stridedMap(map, x, y, out); }

    @Override public void rowReduce(int op, long x, long out, long rows, int cols) { kernels().rowReduce(op, x, out, rows, cols); }

    @Override public void rowSoftmax(long x, long out, long rows, int cols, boolean log) {
        kernels().rowSoftmax(x, out, rows, cols, log);
    }

    @Override public void rowArgmax(long x, long outInts, long rows, int cols) { kernels().rowArgmax(x, outInts, rows, cols); }

    @Override public void rowLayerNorm(long x, long gamma, long beta, long out, long rows, int cols, float eps) {
        kernels().rowLayerNorm(x, gamma, beta, out, rows, cols, eps);
    }

    @Override public void maskRows(long x, long out, long lengths, int batch, int t, long width) {
        kernels().maskRows(x, out, lengths, batch, t, width);
    }

    @Override public void frameWindows(long signal, long out, int frames, int kernel, int stride, float shift, int width) {
        kernels().frameWindows(signal, out, frames, kernel, stride, shift, width);
    }

    @Override public void toBf16(long x, long y, long n) { kernels().toBf16(x, y, n); }

    @Override public void gemm(Cublas.Precision precision, boolean transA, boolean transB, int m, int n, int k, float alpha,
                               long a, int lda, long strideA, long b, int ldb, long strideB, float beta, long c, int ldc,
                               long strideC, int batch) {
        driver();
        dev.cublas().gemmRowMajor(precision, transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc,
                strideC, batch);
    }

    // ---- training: pointwise, loss, optimisers ----------------------------------------------------------------------

    @Override public void activationGrad(int op, long x, long dy, long out, long n) {
        kernels().activationGrad(op, x, dy, out, n);
    }

    @Override public void gatedMixForward(long z, long a, long b, long gate, long y, long n) {
        kernels().gatedMixForward(z, a, b, gate, y, n);
    }

    @Override public void gatedMixBackward(long gate, long a, long b, long dy, long dz, long da, long db, long n) {
        kernels().gatedMixBackward(gate, a, b, dy, dz, da, db, n);
    }

    @Override public void timeFrames(long mask, long frames, int n, int t) { kernels().timeFrames(mask, frames, n, t); }

    @Override public void timeMeanForward(long x, long mask, long frames, long y, int n, int t, int d) {
        kernels().timeMeanForward(x, mask, frames, y, n, t, d);
    }

    @Override public void timeMeanBackward(long mask, long frames, long dy, long dx, int n, int t, int d) {
        kernels().timeMeanBackward(mask, frames, dy, dx, n, t, d);
    }

    @Override public void layerMixForward(long x, long p, long y, int n, int layers, int rest) {
        kernels().layerMixForward(x, p, y, n, layers, rest);
    }

    @Override public void layerMixBackwardDx(long p, long dy, long dx, int n, int layers, int rest) {
        kernels().layerMixBackwardDx(p, dy, dx, n, layers, rest);
    }

    @Override public void layerMixBackwardDp(long x, long dy, long dots, int n, int layers, int rest) {
        kernels().layerMixBackwardDp(x, dy, dots, n, layers, rest);
    }

    @Override public void crossEntropyForward(long logits, long targets, long weights, long rows, int n, int c,
                                              double smoothing) {
        kernels().crossEntropyForward(logits, targets, weights, rows, n, c, smoothing);
    }

    @Override public void crossEntropyBackward(long logits, long targets, long weights, long dlogits, int n, int c,
                                               double smoothing, double norm, double weightSum, float upstream) {
        kernels().crossEntropyBackward(logits, targets, weights, dlogits, n, c, smoothing, norm, weightSum, upstream);
    }

    @Override public void adamStep(long w, long g, long m, long v, long n, float beta1, float beta2, float eps,
                                   float weightDecay, boolean decoupled, float stepSize, float decay,
                                   double correction2Root) {
        kernels().adamStep(w, g, m, v, n, beta1, beta2, eps, weightDecay, decoupled, stepSize, decay, correction2Root);
    }

    @Override public void sgdStep(long w, long g, long buf, long n, float lr, float momentum, float dampening,
                                  float weightDecay, boolean nesterov, boolean first) {
        kernels().sgdStep(w, g, buf, n, lr, momentum, dampening, weightDecay, nesterov, first);
    }

    @Override public void sumOfSquares(long g, long partials, long n, int blocks) {
        kernels().sumOfSquares(g, partials, n, blocks);
    }

    // ---- training: layers ----

    @Override public void im2col(long x, long col, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad,
                                 int oh, int ow) {
        kernels().im2col(x, col, batch, cin, h, w, kh, kw, stride, pad, oh, ow);
    }

    @Override public void col2im(long col, long dx, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad,
                                 int oh, int ow) {
        kernels().col2im(col, dx, batch, cin, h, w, kh, kw, stride, pad, oh, ow);
    }

    @Override public void channelSum(long x, long partial, int n, int c, int spatial, int slices) {
        kernels().channelSum(x, partial, n, c, spatial, slices);
    }

    @Override public void sumSlices(long partial, int pairs, long out0, long out1, int c, int slices) {
        kernels().sumSlices(partial, pairs, out0, out1, c, slices);
    }

    @Override public void batchNormStats(long x, long partial, int n, int c, int spatial, int slices) {
        kernels().batchNormStats(x, partial, n, c, spatial, slices);
    }

    @Override public void batchNormStatsMerge(long partial, long mean, long var, int c, int slices, long count) {
        kernels().batchNormStatsMerge(partial, mean, var, c, slices, count);
    }

    @Override public void batchNormApply(long x, long gamma, long beta, long mean, long var, long y, int n, int c, int spatial,
                                         float eps) {
        kernels().batchNormApply(x, gamma, beta, mean, var, y, n, c, spatial, eps);
    }

    @Override public void batchNormBackwardSums(long x, long dy, long mean, long var, long partial, int n, int c, int spatial,
                                                float eps, int slices) {
        kernels().batchNormBackwardSums(x, dy, mean, var, partial, n, c, spatial, eps, slices);
    }

    @Override public void batchNormBackwardDx(long x, long dy, long gamma, long mean, long var, long sumDyXhat, long sumDy,
                                              long dx, int n, int c, int spatial, float eps) {
        kernels().batchNormBackwardDx(x, dy, gamma, mean, var, sumDyXhat, sumDy, dx, n, c, spatial, eps);
    }

    @Override public void batchNormRunningUpdate(long runningMean, long runningVar, long mean, long var, int c, float momentum,
                                                 float count, float countLessOne) {
        kernels().batchNormRunningUpdate(runningMean, runningVar, mean, var, c, momentum, count, countLessOne);
    }

    @Override public void maxPoolForward(long x, long y, long fromInts, long planes, int h, int w, int oh, int ow, int kernel,
                                         int stride) {
        kernels().maxPoolForward(x, y, fromInts, planes, h, w, oh, ow, kernel, stride);
    }

    @Override public void maxPoolBackward(long fromInts, long dy, long gate, long dx, long planes, int h, int w, int oh, int ow,
                                          int kernel, int stride) {
        kernels().maxPoolBackward(fromInts, dy, gate, dx, planes, h, w, oh, ow, kernel, stride);
    }

    @Override public void batchNormPoolRelu(long x, long gamma, long beta, long mean, long var, long y, long fromInts, int n,
                                            int c, int h, int w, float eps) {
        kernels().batchNormPoolRelu(x, gamma, beta, mean, var, y, fromInts, n, c, h, w, eps);
    }
}
