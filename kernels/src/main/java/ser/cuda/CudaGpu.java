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
