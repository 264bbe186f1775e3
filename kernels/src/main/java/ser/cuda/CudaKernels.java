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
    static final List<String> NAMES = List.of("conv1d_first", "group_norm_gelu", "im2col_1d", "gelu", "bias_add",
            "residual_add", "f32_to_bf16", "bf16_to_f32", "layer_norm", "softmax_masked", "permute_heads",
            "pos_conv_gelu", "mean_pool_masked", "zero_padded_frames", "pos_conv_im2col", "pos_conv_im2col_bf16",
            "transpose_tiles", "softmax_masked_warp", "conv1d_first_moments", "conv1d_first_group_stats",
            "conv1d_first_norm_gelu", "strided_map", "row_reduce", "row_softmax", "row_argmax", "row_layer_norm",
            "mask_rows", "frame_windows");

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

    // ---- typed launches: argument order as in the .cu file --------------------------------------------------------

    public void conv1dFirst(long x, long w, long y, int batch, int samples, int channels, int kernel, int stride,
                            int frames) {
        try (Arena a = Arena.ofConfined()) {
            launch("conv1d_first", LaunchConfig.rowTiles((long) batch * channels, frames),
                    args(a).ptr(x).ptr(w).ptr(y).i(batch).i(samples).i(channels).i(kernel).i(stride).i(frames));
        }
    }

    /** The first conv's widest kernel that {@link #conv1dFirstMoments} and {@link #conv1dFirstNormGelu} take. */
    public static final int MAX_FIRST_KERNEL = 16;

    /**
     * Per clip, the moments of its windows (centred on the clip's mean sample): moments, doubles
     * [batch, 1 + kernel + kernel²] = mean sample, mean window, mean outer product.
     */
    public void conv1dFirstMoments(long x, long moments, int batch, int samples, int kernel, int stride, int frames) {
        if (kernel > MAX_FIRST_KERNEL) throw new IllegalArgumentException("first conv kernel " + kernel + " > " + MAX_FIRST_KERNEL);
        try (Arena a = Arena.ofConfined()) {
            launch("conv1d_first_moments", new LaunchConfig(batch, 1, LaunchConfig.ELEMENTWISE_BLOCK, 0),
                    args(a).ptr(x).ptr(moments).i(samples).i(kernel).i(stride).i(frames));
        }
    }

    /** From the moments, each (batch, channel)'s mean and 1/sqrt(var + eps) over time: stats [batch·channels, 2]. */
    public void conv1dFirstGroupStats(long moments, long w, long stats, int batch, int channels, int kernel, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("conv1d_first_group_stats", LaunchConfig.elementwise((long) batch * channels),
                    args(a).ptr(moments).ptr(w).ptr(stats).i(batch).i(channels).i(kernel).f(eps));
        }
    }

    /**
     * The first conv, its group norm (from {@link #conv1dFirstGroupStats}) and GELU, time-major y [batch, frames, channels];
     * {@code wTapMajor} is the weight as [kernel, channels].
     */
    public void conv1dFirstNormGelu(long x, long wTapMajor, long stats, long gamma, long beta, long y, int batch, int samples,
                                    int channels, int kernel, int stride, int frames) {
        try (Arena a = Arena.ofConfined()) {
            if (kernel > MAX_FIRST_KERNEL) throw new IllegalArgumentException("first conv kernel " + kernel + " > " + MAX_FIRST_KERNEL);
            int tiles = (frames + 15) / 16;  // SER_FIRST_FRAMES_PER_BLOCK
            launch("conv1d_first_norm_gelu", new LaunchConfig(Math.multiplyExact(batch, tiles), 1,
                            Math.min(LaunchConfig.ELEMENTWISE_BLOCK, (channels + 31) / 32 * 32), 0),
                    args(a).ptr(x).ptr(wTapMajor).ptr(stats).ptr(gamma).ptr(beta).ptr(y).i(samples).i(channels).i(kernel)
                            .i(stride).i(frames));
        }
    }

    public void groupNormGelu(long x, long gamma, long beta, int batch, int channels, int frames, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("group_norm_gelu", LaunchConfig.perRow((long) batch * channels, frames),
                    args(a).ptr(x).ptr(gamma).ptr(beta).i(channels).i(frames).f(eps));
        }
    }

    public void im2col1d(long x, long cols, int batch, int cin, int tin, int kernel, int stride, int tout) {
        try (Arena a = Arena.ofConfined()) {
            launch("im2col_1d", LaunchConfig.elementwise((long) batch * tout * cin * kernel),
                    args(a).ptr(x).ptr(cols).i(batch).i(cin).i(tin).i(kernel).i(stride).i(tout));
        }
    }

    public void gelu(long x, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("gelu", LaunchConfig.elementwise(n), args(a).ptr(x).l(n));
        }
    }

    public void biasAdd(long x, long bias, long rows, int cols, boolean gelu) {
        try (Arena a = Arena.ofConfined()) {
            launch("bias_add", LaunchConfig.elementwise(rows * cols),
                    args(a).ptr(x).ptr(bias).l(rows).i(cols).i(gelu ? 1 : 0));
        }
    }

    public void residualAdd(long y, long x, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("residual_add", LaunchConfig.elementwise(n), args(a).ptr(y).ptr(x).l(n));
        }
    }

    public void toBf16(long x, long y, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("f32_to_bf16", LaunchConfig.elementwise(n), args(a).ptr(x).ptr(y).l(n));
        }
    }

    public void fromBf16(long x, long y, long n) {
        try (Arena a = Arena.ofConfined()) {
            launch("bf16_to_f32", LaunchConfig.elementwise(n), args(a).ptr(x).ptr(y).l(n));
        }
    }

    public void layerNorm(long x, long out, long gamma, long beta, long rows, int cols, float eps) {
        try (Arena a = Arena.ofConfined()) {
            launch("layer_norm", LaunchConfig.perRow(rows, cols),
                    args(a).ptr(x).ptr(out).ptr(gamma).ptr(beta).i(cols).f(eps));
        }
    }

    /** {@code lengths} is a device int array of valid key frames per batch item, or 0 for no mask. */
    public void softmaxMasked(long scores, long lengths, int batch, int heads, int tq, int tk, float scale) {
        try (Arena a = Arena.ofConfined()) {
            launch("softmax_masked", LaunchConfig.perRow((long) batch * heads * tq, tk),
                    args(a).ptr(scores).ptr(lengths).i(heads).i(tq).i(tk).f(scale));
        }
    }

    /** {@link #softmaxMasked} with one warp per row (for rows of a few hundred keys, as HuBERT's are). */
    public void softmaxMaskedWarp(long scores, long lengths, int batch, int heads, int tq, int tk, float scale) {
        long rows = (long) batch * heads * tq;
        try (Arena a = Arena.ofConfined()) {
            launch("softmax_masked_warp", LaunchConfig.elementwise(rows * 32),
                    args(a).ptr(scores).ptr(lengths).i(heads).i(tq).i(tk).f(scale).l(rows));
        }
    }

    public void permuteHeads(long x, long y, int batch, int t, int heads, int d, boolean split) {
        try (Arena a = Arena.ofConfined()) {
            launch("permute_heads", LaunchConfig.elementwise((long) batch * t * heads * d),
                    args(a).ptr(x).ptr(y).i(batch).i(t).i(heads).i(d).i(split ? 1 : 0));
        }
    }

    public void posConvGelu(long x, long w, long bias, long y, int batch, int t, int dim, int groups, int kernel) {
        try (Arena a = Arena.ofConfined()) {
            launch("pos_conv_gelu", LaunchConfig.elementwise((long) batch * t * dim),
                    args(a).ptr(x).ptr(w).ptr(bias).ptr(y).i(batch).i(t).i(dim).i(groups).i(kernel));
        }
    }

    /** The positional conv's windows, [groups, batch·t, kernel·dim/groups], fp32 or (when {@code bf16}) bf16. */
    public void posConvIm2col(long x, long cols, int batch, int t, int dim, int groups, int kernel, boolean bf16) {
        try (Arena a = Arena.ofConfined()) {
            launch(bf16 ? "pos_conv_im2col_bf16" : "pos_conv_im2col", LaunchConfig.perRowAndGroup((long) batch * t, groups),
                    args(a).ptr(x).ptr(cols).i(batch).i(t).i(dim).i(groups).i(kernel));
        }
    }

    /** x [batch, rows, cols] to y [batch, cols, rows]. */
    public void transpose(long x, long y, int batch, int rows, int cols) {
        try (Arena a = Arena.ofConfined()) {
            launch("transpose_tiles", LaunchConfig.tiles(batch, rows, cols), args(a).ptr(x).ptr(y).i(rows).i(cols));
        }
    }

    public void meanPoolMasked(long x, long lengths, long y, int batch, int t, int dim) {
        try (Arena a = Arena.ofConfined()) {
            launch("mean_pool_masked", LaunchConfig.elementwise((long) batch * dim),
                    args(a).ptr(x).ptr(lengths).ptr(y).i(batch).i(t).i(dim));
        }
    }

    public void zeroPaddedFrames(long x, long lengths, int batch, int t, int dim) {
        try (Arena a = Arena.ofConfined()) {
            launch("zero_padded_frames", LaunchConfig.elementwise((long) batch * t * dim),
                    args(a).ptr(x).ptr(lengths).i(batch).i(t).i(dim));
        }
    }

    // ---- CudaOps's kernels (strided_map.cu, row_ops.cu, sequence_ops.cu) ---------------------------------------------

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
}
