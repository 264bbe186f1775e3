package ser.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Our own kernels ({@code kernels/src/main/cuda/ser_kernels.cu}), loaded from the fatbin that the build ships
 * as a resource, with one typed launch method per kernel. Device pointers are {@code long}s; all launches go
 * on the device's stream, in order.
 */
public final class CudaKernels {

    static final String FATBIN_RESOURCE = "/ser/cuda/ser_kernels.fatbin";

    /** Every kernel the Java side launches; a test checks each is in the fatbin the build made. */
    static final List<String> NAMES = List.of("strided_map", "f32_to_bf16", "row_reduce", "row_softmax", "row_argmax",
            "row_layer_norm", "mask_rows", "frame_windows",
            // training: pointwise, loss, optimisers
            "activation_grad", "gated_mix_forward", "gated_mix_backward", "time_frames", "time_mean_forward",
            "time_mean_backward", "layer_mix_forward", "layer_mix_backward_dx", "layer_mix_backward_dp",
            "cross_entropy_forward", "cross_entropy_backward", "adam_step", "sgd_step", "sum_of_squares",
            // training: layers
            "im2col", "col2im", "channel_sum", "sum_slices", "batch_norm_stats", "batch_norm_stats_merge", "batch_norm_apply",
            "batch_norm_backward_sums",
            "batch_norm_backward_dx", "batch_norm_running_update", "max_pool_forward", "max_pool_backward",
            "batch_norm_pool_relu");

    private final Driver driver;
    private final MemorySegment module;
    private final MemorySegment stream;
    private final Map<String, MemorySegment> functions = new ConcurrentHashMap<>();

    CudaKernels(Driver driver, MemorySegment module, MemorySegment stream) {
        this.driver = driver;
        this.module = module;
        this.stream = stream;
    }

    static Optional<byte[]> fatbinResource() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(FATBIN_RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image in native memory that lives as long as the process (the driver may keep referring to it). */
    static MemorySegment image(byte[] fatbin) {
        MemorySegment seg = Arena.global().allocate(fatbin.length, 64);
        seg.copyFrom(MemorySegment.ofArray(fatbin));
        return seg;
    }

    private void launch(String name, LaunchConfig config, KernelArgs args) {
        MemorySegment fn = functions.computeIfAbsent(name, n -> driver.function(module, n));
        driver.launch(name, fn, config, stream, args.array());
    }

    private static KernelArgs args(Arena arena) {
        return new KernelArgs(arena);
    }

    // ---- typed launches, one a kernel, argument order as in the .cu file (strided_map.cu, elementwise.cu, row_ops.cu,
    //      sequence_ops.cu) -------------------------------------------------------------------------------------------

    /** Blocks of a grid-stride launch: enough to fill the GPU, never more than the elements need. */
    private static LaunchConfig gridStride(long n) {
        long blocks = Math.min((n + LaunchConfig.ELEMENTWISE_BLOCK - 1) / LaunchConfig.ELEMENTWISE_BLOCK, 65536);
        return new LaunchConfig((int) Math.max(blocks, 1), 1, LaunchConfig.ELEMENTWISE_BLOCK, 0);
    }

    public void stridedMap(StridedMap map, long x, long y, long out) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment struct = a.allocate(StridedMap.LAYOUT);
            map.writeTo(struct);
            launch("strided_map", gridStride(map.count()), args(a).value(struct).ptr(x).ptr(y).ptr(out));
        }
    }

    public void toBf16(long x, long y, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("f32_to_bf16", LaunchConfig.elementwise(n), args(a).ptr(x).ptr(y).l(n));
        }
    }

    public void rowReduce(int op, long x, long out, long rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            launch("row_reduce", LaunchConfig.perRow(rows, cols), args(a).ptr(x).ptr(out).i(cols).i(op));
        }
    }

    public void rowSoftmax(long x, long out, long rows, int cols, boolean log) {
        try (Arena a = Arena.ofConfined()) {
            launch("row_softmax", LaunchConfig.perRow(rows, cols), args(a).ptr(x).ptr(out).i(cols).i(log ? 1 : 0));
        }
    }

    public void rowArgmax(long x, long outInts, long rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            launch("row_argmax", LaunchConfig.perRow(rows, cols), args(a).ptr(x).ptr(outInts).i(cols));
        }
    }

    public void rowLayerNorm(long x, long gamma, long beta, long out, long rows, int cols, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("row_layer_norm", LaunchConfig.perRow(rows, cols),
                    args(a).ptr(x).ptr(gamma).ptr(beta).ptr(out).i(cols).f(eps));
        }
    }

    public void maskRows(long x, long out, long lengths, int batch, int t, long width) {
        try (Arena a = Arena.ofConfined()) {
            launch("mask_rows", gridStride((long) batch * t * width),
                    args(a).ptr(x).ptr(out).ptr(lengths).i(batch).i(t).l(width));
        }
    }

    public void frameWindows(long signal, long out, int frames, int kernel, int stride, float shift, int width) {
        try (Arena a = Arena.ofConfined()) {
            launch("frame_windows", gridStride((long) frames * width),
                    args(a).ptr(signal).ptr(out).i(frames).i(kernel).i(stride).f(shift).i(width));
        }
    }

    // ---- training: pointwise, loss, optimisers (training_pointwise.cu, loss.cu, optim.cu) ---------------------------

    /** A double argument: its bits in the 8-byte slot, which the kernel reads as a double. */
    private static long bits(double v) {
        return Double.doubleToRawLongBits(v);
    }

    public void activationGrad(int op, long x, long dy, long out, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("activation_grad", gridStride(n), args(a).i(op).ptr(x).ptr(dy).ptr(out).l(n));
        }
    }

    public void gatedMixForward(long z, long a, long b, long gate, long y, long n) {
        try (Arena arena = Arena.ofConfined()) {
            launch("gated_mix_forward", gridStride(n), args(arena).ptr(z).ptr(a).ptr(b).ptr(gate).ptr(y).l(n));
        }
    }

    public void gatedMixBackward(long gate, long a, long b, long dy, long dz, long da, long db, long n) {
        try (Arena arena = Arena.ofConfined()) {
            launch("gated_mix_backward", gridStride(n),
                    args(arena).ptr(gate).ptr(a).ptr(b).ptr(dy).ptr(dz).ptr(da).ptr(db).l(n));
        }
    }

    public void timeFrames(long mask, long frames, int n, int t) {
        try (Arena a = Arena.ofConfined()) {
            launch("time_frames", LaunchConfig.elementwise(n), args(a).ptr(mask).ptr(frames).i(n).i(t));
        }
    }

    public void timeMeanForward(long x, long mask, long frames, long y, int n, int t, int d) {
        try (Arena a = Arena.ofConfined()) {
            launch("time_mean_forward", gridStride((long) n * d),
                    args(a).ptr(x).ptr(mask).ptr(frames).ptr(y).i(n).i(t).i(d));
        }
    }

    public void timeMeanBackward(long mask, long frames, long dy, long dx, int n, int t, int d) {
        try (Arena a = Arena.ofConfined()) {
            launch("time_mean_backward", gridStride((long) n * t * d),
                    args(a).ptr(mask).ptr(frames).ptr(dy).ptr(dx).i(n).i(t).i(d));
        }
    }

    public void layerMixForward(long x, long p, long y, int n, int layers, int rest) {
        try (Arena a = Arena.ofConfined()) {
            launch("layer_mix_forward", gridStride((long) n * rest),
                    args(a).ptr(x).ptr(p).ptr(y).i(n).i(layers).i(rest));
        }
    }

    public void layerMixBackwardDx(long p, long dy, long dx, int n, int layers, int rest) {
        try (Arena a = Arena.ofConfined()) {
            launch("layer_mix_backward_dx", gridStride((long) n * layers * rest),
                    args(a).ptr(p).ptr(dy).ptr(dx).i(n).i(layers).i(rest));
        }
    }

    public void layerMixBackwardDp(long x, long dy, long dots, int n, int layers, int rest) {
        try (Arena a = Arena.ofConfined()) {
            launch("layer_mix_backward_dp", LaunchConfig.perRow((long) n * layers, rest),
                    args(a).ptr(x).ptr(dy).ptr(dots).i(layers).i(rest));
        }
    }

    public void crossEntropyForward(long logits, long targets, long weights, long rows, int n, int c, double smoothing) {
        try (Arena a = Arena.ofConfined()) {
            launch("cross_entropy_forward", LaunchConfig.elementwise(n),
                    args(a).ptr(logits).ptr(targets).ptr(weights).ptr(rows).i(n).i(c).l(bits(smoothing)));
        }
    }

    public void crossEntropyBackward(long logits, long targets, long weights, long dlogits, int n, int c,
                                     double smoothing, double norm, double weightSum, float upstream) {
        try (Arena a = Arena.ofConfined()) {
            launch("cross_entropy_backward", LaunchConfig.elementwise(n), args(a).ptr(logits).ptr(targets).ptr(weights).ptr(dlogits)
                    .i(n).i(c).l(bits(smoothing)).l(bits(norm)).l(bits(weightSum)).f(upstream));
        }
    }

    public void adamStep(long w, long g, long m, long v, long n, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupled, float stepSize, float decay, double correction2Root) {
        try (Arena a = Arena.ofConfined()) {
            launch("adam_step", gridStride(n), args(a).ptr(w).ptr(g).ptr(m).ptr(v).l(n).f(beta1).f(beta2).f(eps)
                    .f(weightDecay).i(decoupled ? 1 : 0).f(stepSize).f(decay).l(bits(correction2Root)));
        }
    }

    public void sgdStep(long w, long g, long buf, long n, float lr, float momentum, float dampening, float weightDecay,
                        boolean nesterov, boolean first) {
        try (Arena a = Arena.ofConfined()) {
            launch("sgd_step", gridStride(n), args(a).ptr(w).ptr(g).ptr(buf).l(n).f(lr).f(momentum).f(dampening)
                    .f(weightDecay).i(nesterov ? 1 : 0).i(first ? 1 : 0));
        }
    }

    public void sumOfSquares(long g, long partials, long n, int blocks) {
        try (Arena a = Arena.ofConfined()) {
            launch("sum_of_squares", new LaunchConfig(blocks, 1, LaunchConfig.ELEMENTWISE_BLOCK, 0),
                    args(a).ptr(g).ptr(partials).l(n));
        }
    }

    // ---- training: layers ----  (conv.cu, batch_norm.cu, pooling.cu)

    /** A block per (channel, slice) of a per-channel reduction over {@code count} values a channel. */
    private static LaunchConfig perSlice(int c, int slices, long count) {
        int threads = LaunchConfig.perRow(c, (int) Math.min(count / slices + 1, 1024)).blockX();
        return new LaunchConfig(c, slices, threads, 0);
    }

    public void im2col(long x, long col, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow) {
        try (Arena a = Arena.ofConfined()) {
            launch("im2col", gridStride((long) cin * kh * kw * batch * oh * ow),
                    args(a).ptr(x).ptr(col).i(batch).i(cin).i(h).i(w).i(kh).i(kw).i(stride).i(pad).i(oh).i(ow));
        }
    }

    public void col2im(long col, long dx, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad, int oh, int ow) {
        try (Arena a = Arena.ofConfined()) {
            launch("col2im", gridStride((long) batch * cin * h * w),
                    args(a).ptr(col).ptr(dx).i(batch).i(cin).i(h).i(w).i(kh).i(kw).i(stride).i(pad).i(oh).i(ow));
        }
    }

    public void channelSum(long x, long partial, int n, int c, int spatial, int slices) {
        try (Arena a = Arena.ofConfined()) {
            launch("channel_sum", perSlice(c, slices, (long) n * spatial),
                    args(a).ptr(x).ptr(partial).i(n).i(c).i(spatial).i(slices));
        }
    }

    public void sumSlices(long partial, int pairs, long out0, long out1, int c, int slices) {
        try (Arena a = Arena.ofConfined()) {
            launch("sum_slices", gridStride(c), args(a).ptr(partial).i(pairs).ptr(out0).ptr(out1).i(c).i(slices));
        }
    }

    public void batchNormStats(long x, long partial, int n, int c, int spatial, int slices) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_stats", perSlice(c, slices, (long) n * spatial),
                    args(a).ptr(x).ptr(partial).i(n).i(c).i(spatial).i(slices));
        }
    }

    public void batchNormStatsMerge(long partial, long mean, long var, int c, int slices, long count) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_stats_merge", gridStride(c), args(a).ptr(partial).ptr(mean).ptr(var).i(c).i(slices).l(count));
        }
    }

    public void batchNormApply(long x, long gamma, long beta, long mean, long var, long y, int n, int c, int spatial, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_apply", gridStride((long) n * c * spatial),
                    args(a).ptr(x).ptr(gamma).ptr(beta).ptr(mean).ptr(var).ptr(y).i(n).i(c).i(spatial).f(eps));
        }
    }

    public void batchNormBackwardSums(long x, long dy, long mean, long var, long partial, int n, int c, int spatial,
                                      float eps, int slices) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_backward_sums", perSlice(c, slices, (long) n * spatial),
                    args(a).ptr(x).ptr(dy).ptr(mean).ptr(var).ptr(partial).i(n).i(c).i(spatial).f(eps).i(slices));
        }
    }

    public void batchNormBackwardDx(long x, long dy, long gamma, long mean, long var, long sumDyXhat, long sumDy, long dx,
                                    int n, int c, int spatial, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_backward_dx", gridStride((long) n * c * spatial),
                    args(a).ptr(x).ptr(dy).ptr(gamma).ptr(mean).ptr(var).ptr(sumDyXhat).ptr(sumDy).ptr(dx)
                            .i(n).i(c).i(spatial).f(eps));
        }
    }

    public void batchNormRunningUpdate(long runningMean, long runningVar, long mean, long var, int c, float momentum,
                                       float count, float countLessOne) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_running_update", gridStride(c),
                    args(a).ptr(runningMean).ptr(runningVar).ptr(mean).ptr(var).i(c).f(momentum).f(count).f(countLessOne));
        }
    }

    public void maxPoolForward(long x, long y, long fromInts, long planes, int h, int w, int oh, int ow, int kernel, int stride) {
        try (Arena a = Arena.ofConfined()) {
            launch("max_pool_forward", gridStride(planes * oh * ow),
                    args(a).ptr(x).ptr(y).ptr(fromInts).l(planes).i(h).i(w).i(oh).i(ow).i(kernel).i(stride));
        }
    }

    public void maxPoolBackward(long fromInts, long dy, long gate, long dx, long planes, int h, int w, int oh, int ow,
                                int kernel, int stride) {
        try (Arena a = Arena.ofConfined()) {
            launch("max_pool_backward", gridStride(planes * h * w),
                    args(a).ptr(fromInts).ptr(dy).ptr(gate).ptr(dx).l(planes).i(h).i(w).i(oh).i(ow).i(kernel).i(stride));
        }
    }

    public void batchNormPoolRelu(long x, long gamma, long beta, long mean, long var, long y, long fromInts, int n, int c,
                                  int h, int w, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("batch_norm_pool_relu", gridStride((long) n * c * (h / 2) * (w / 2)),
                    args(a).ptr(x).ptr(gamma).ptr(beta).ptr(mean).ptr(var).ptr(y).ptr(fromInts).i(n).i(c).i(h).i(w).f(eps));
        }
    }
}
