package ser.cuda;

/**
 * The activation buffers of one {@link HubertPlan}, all in one arena: kept between passes of the same shape, so
 * that a timed pass allocates nothing. fp32 unless named bf16; sizes in elements.
 */
final class HubertBuffers implements AutoCloseable {

    final HubertPlan plan;
    private final DeviceArena arena;
    /** [batch, samples], the padded (and, if the model says so, normalised) waveforms. */
    final long wave;
    /** The feature encoder's ping-pong pair, each {@link HubertPlan#convActivationFloats}. */
    final long ping, pong;
    /** [rows, C] normalised features; [rows, D] projected features and positional embedding. */
    final long featureNormed, projected, positional;
    /** [layers + 1, rows, D]: every hidden state, the result. */
    final long hidden;
    /** Per layer: [rows, 3D] q/k/v, [batch, heads, T, T] scores, [rows, D] context, [rows, F] FFN inner, [rows, D]. */
    final long qkv, scores, context, inner, normed;
    /** bf16 operands (0 unless the GEMMs run in bf16). */
    final long staging;
    /** Positional-conv windows of {@link HubertPlan#posConvChunk} clips, bf16 when the GEMMs are. */
    final long posWindows;
    /** [batch, first conv's channels, 2]: the group norm's mean and inverse deviation per channel. */
    final long conv0Stats;
    /** [batch, 1 + k + k²] doubles: each clip's window moments, from which conv0Stats follow. */
    final long conv0Moments;
    /** int [batch]: each clip's frames (for zeroing padding) and its valid keys (frames, or all when none). */
    final long frames, keys;

    HubertBuffers(Cuda.Device dev, HubertPlan plan, Cublas.Precision precision) {
        this.plan = plan;
        this.arena = new DeviceArena(dev.driver());
        try {
            long rows = plan.rows(), d = plan.config().hidden();
            wave = arena.allocateFloats((long) plan.batch() * plan.samples());
            ping = arena.allocateFloats(plan.convActivationFloats());
            pong = arena.allocateFloats(plan.convActivationFloats());
            featureNormed = arena.allocateFloats(rows * plan.config().featureDim());
            projected = arena.allocateFloats(rows * d);
            positional = arena.allocateFloats(rows * d);
            hidden = arena.allocateFloats((plan.config().layers() + 1) * rows * d);
            qkv = arena.allocateFloats(rows * 3 * d);
            scores = arena.allocateFloats(plan.scoreFloats());
            context = arena.allocateFloats(rows * d);
            inner = arena.allocateFloats(rows * plan.config().ffn());
            normed = arena.allocateFloats(rows * d);
            boolean bf16 = precision == Cublas.Precision.BF16;
            staging = bf16 ? arena.allocate(2 * plan.bf16StagingElements()) : 0;
            posWindows = arena.allocate((bf16 ? 2 : 4) * plan.posConvChunk() * plan.posWindowsPerClip());
            conv0Stats = arena.allocateFloats(2L * plan.batch() * plan.config().convChannels()[0]);
            int k0 = plan.config().convKernels()[0];
            conv0Moments = arena.allocate(8L * plan.batch() * (1 + k0 + k0 * k0));
            frames = arena.allocate(4L * plan.batch());
            keys = arena.allocate(4L * plan.batch());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    long bytes() {
        return arena.bytes();
    }

    @Override
    public void close() {
        arena.close();
    }
}
