package ser.cuda;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.TrainingOps.AdamStep;
import ser.autograd.kernels.TrainingOps.SgdStep;
import ser.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The element-wise and small training kernels on a GPU, for {@link CudaOps}'s {@link TrainingOps}: activation
 * gradients, tanh, gated mix, time and layer pooling, cross-entropy, the optimisers' updates
 * (training_pointwise.cu, loss.cu, optim.cu). Called with CudaOps's lock held.
 *
 * <p>Inputs may be host tensors or views (uploaded, gathered); outputs must be dense tensors of this backend. Where a
 * result is a host number (the loss, the layer mixture's gradient, the sum of squares) the kernels write doubles per
 * row or block, downloaded and summed here in order, so the sums do not depend on the launch. The time mean checks
 * that every sequence has a real frame, as the host does, by downloading each sequence's frame count: a
 * synchronisation, the price of the same {@link IllegalArgumentException}.
 */
final class CudaPointwiseTraining {

    /** Blocks of {@code sum_of_squares} at most: few partials to download, enough to fill a GPU. */
    private static final int SQUARES_BLOCKS = 1024;

    private final CudaOps ops;
    private final Gpu gpu;

    CudaPointwiseTraining(CudaOps ops, Gpu gpu) {
        this.ops = ops;
        this.gpu = gpu;
    }

    // ---- operands -----------------------------------------------------------------------------------------------

    /** An input on this device and dense; checked to hold {@code size} elements. */
    private Tensor in(Tensor t, long size, String what) {
        if (t.size() != size) throw new IllegalArgumentException(what + " holds " + t.size() + " elements, not " + size);
        return ops.dense(t);
    }

    /** An output: a dense tensor of this backend of {@code size} elements; null for null (not wanted). */
    private Tensor out(Tensor t, long size, String what) {
        if (t == null) return null;
        ops.owned(t);
        if (!t.isContiguous()) throw new IllegalArgumentException(what + " must be dense, got " + t);
        if (t.size() != size) throw new IllegalArgumentException(what + " holds " + t.size() + " elements, not " + size);
        return t;
    }

    private long address(Tensor t) {
        return t == null ? 0 : ops.address(t);
    }

    private CudaBuffer upload(MemorySegment host) {
        CudaBuffer b = ops.buffer(host.byteSize());
        gpu.upload(b.pointer(), host, host.byteSize());
        return b;
    }

    private CudaBuffer floats(float[] v) {
        try (Arena staging = Arena.ofConfined()) {
            return upload(staging.allocateFrom(JAVA_FLOAT, v));
        }
    }

    private CudaBuffer ints(int[] v) {
        try (Arena staging = Arena.ofConfined()) {
            return upload(staging.allocateFrom(JAVA_INT, v));
        }
    }

    private double[] doubles(CudaBuffer b, int count) {
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocate(JAVA_DOUBLE, count);
            gpu.download(s, b.pointer(), s.byteSize());
            return s.toArray(JAVA_DOUBLE);
        }
    }

    // ---- element-wise -------------------------------------------------------------------------------------------

    private void activation(int op, Tensor x, Tensor dy, Tensor dx) {
        long n = dx.size();
        Tensor o = out(dx, n, "the output");
        Tensor xs = in(x, n, "x"), g = dy == null ? null : in(dy, n, "dy");
        if (n > 0) gpu.activationGrad(op, address(xs), address(g), address(o), n);
        Reference.reachabilityFence(new Object[] {xs, g});
    }

    void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        activation(Gpu.RELU_BACKWARD, x, dy, dx);
    }

    void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        activation(Gpu.GELU_BACKWARD, x, dy, dx);
    }

    void tanhForward(Tensor x, Tensor y) {
        activation(Gpu.TANH, x, null, y);
    }

    void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        activation(Gpu.TANH_BACKWARD, y, dy, dx);
    }

    void gatedMixForward(Tensor z, Tensor a, Tensor b, Tensor gate, Tensor y) {
        long n = y.size();
        Tensor o = out(y, n, "y"), go = out(gate, n, "gate");
        Tensor zs = in(z, n, "z"), as = in(a, n, "a"), bs = in(b, n, "b");
        if (n > 0) gpu.gatedMixForward(address(zs), address(as), address(bs), address(go), address(o), n);
        Reference.reachabilityFence(new Object[] {zs, as, bs});
    }

    void gatedMixBackward(Tensor gate, Tensor a, Tensor b, Tensor dy, Tensor dz, Tensor da, Tensor db) {
        long n = dy.size();
        Tensor oz = out(dz, n, "dz"), oa = out(da, n, "da"), ob = out(db, n, "db");
        Tensor gs = in(gate, n, "gate"), as = in(a, n, "a"), bs = in(b, n, "b"), g = in(dy, n, "dy");
        if (n > 0) {
            gpu.gatedMixBackward(address(gs), address(as), address(bs), address(g), address(oz), address(oa),
                    address(ob), n);
        }
        Reference.reachabilityFence(new Object[] {gs, as, bs, g});
    }

    // ---- sequences ----------------------------------------------------------------------------------------------

    /**
     * Each sequence's real frames as doubles on the device, checked on the host to be positive as
     * {@code TimePoolingReference} checks them; null for no mask (every frame real).
     */
    private CudaBuffer frames(int n, int t, Tensor mask) {
        if (mask == null || n == 0) return null;
        CudaBuffer frames = ops.buffer((long) n * Double.BYTES);
        gpu.timeFrames(address(mask), frames.pointer(), n, t);
        double[] counts = doubles(frames, n);
        for (int i = 0; i < n; i++) {
            if (counts[i] <= 0) throw new IllegalArgumentException("sequence " + i + " has no unmasked frame");
        }
        return frames;
    }

    void timeMeanForward(int n, int t, int d, Tensor x, Tensor mask, Tensor y) {
        Tensor o = out(y, (long) n * d, "y");
        Tensor xs = in(x, (long) n * t * d, "x"), m = mask == null ? null : in(mask, (long) n * t, "mask");
        CudaBuffer frames = frames(n, t, m);
        if (o.size() > 0) {
            gpu.timeMeanForward(address(xs), address(m), frames == null ? 0 : frames.pointer(), address(o), n, t, d);
        }
        Reference.reachabilityFence(new Object[] {xs, m, frames});
    }

    void timeMeanBackward(int n, int t, int d, Tensor mask, Tensor dy, Tensor dx) {
        Tensor o = out(dx, (long) n * t * d, "dx");
        Tensor g = in(dy, (long) n * d, "dy"), m = mask == null ? null : in(mask, (long) n * t, "mask");
        CudaBuffer frames = frames(n, t, m);
        if (o.size() > 0) {
            gpu.timeMeanBackward(address(m), frames == null ? 0 : frames.pointer(), address(g), address(o), n, t, d);
        }
        Reference.reachabilityFence(new Object[] {g, m, frames});
    }

    /** The mixture's weights rounded to float, as the host rounds each {@code p[l]}, on the device. */
    private CudaBuffer mixture(int layers, double[] p) {
        if (p.length < layers) throw new IllegalArgumentException(p.length + " mixture weights for " + layers + " layers");
        float[] w = new float[Math.max(layers, 1)];
        for (int l = 0; l < layers; l++) w[l] = (float) p[l];
        return floats(w);
    }

    void layerMixForward(int n, int layers, int rest, Tensor x, double[] p, Tensor y) {
        Tensor o = out(y, (long) n * rest, "y");
        Tensor xs = in(x, (long) n * layers * rest, "x");
        CudaBuffer ps = mixture(layers, p);
        if (o.size() > 0) gpu.layerMixForward(address(xs), ps.pointer(), address(o), n, layers, rest);
        Reference.reachabilityFence(new Object[] {xs, ps});
    }

    void layerMixBackward(int n, int layers, int rest, Tensor x, double[] p, Tensor dy, Tensor dx, double[] dp) {
        if (dp.length < layers) throw new IllegalArgumentException(dp.length + " gradients for " + layers + " layers");
        Tensor o = out(dx, (long) n * layers * rest, "dx");
        Tensor xs = in(x, (long) n * layers * rest, "x"), g = in(dy, (long) n * rest, "dy");
        CudaBuffer ps = mixture(layers, p);
        if (o != null && o.size() > 0) gpu.layerMixBackwardDx(ps.pointer(), address(g), address(o), n, layers, rest);
        Arrays.fill(dp, 0);
        int rows = Math.multiplyExact(n, layers);
        if (rows > 0) {
            CudaBuffer dots = ops.buffer((long) rows * Double.BYTES);
            gpu.layerMixBackwardDp(address(xs), address(g), dots.pointer(), n, layers, rest);
            double[] perExample = doubles(dots, rows);
            for (int i = 0; i < n; i++) for (int l = 0; l < layers; l++) dp[l] += perExample[i * layers + l];
        }
        Reference.reachabilityFence(new Object[] {xs, g, ps});
    }

    // ---- loss ---------------------------------------------------------------------------------------------------

    private static void checkTargets(int n, int c, int[] targets, float[] weights) {
        if (targets.length < n) throw new IllegalArgumentException(targets.length + " targets for " + n + " rows");
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException("target " + targets[i] + " of row " + i + " is no class of " + c);
            }
        }
        if (weights != null && weights.length < c) {
            throw new IllegalArgumentException(weights.length + " class weights for " + c + " classes");
        }
    }

    /** {@code Σ_i w[targets[i]]}, the mean's denominator, in double as the reference. */
    private static double norm(int n, int[] targets, float[] weights) {
        double norm = 0;
        for (int i = 0; i < n; i++) norm += weights == null ? 1 : weights[targets[i]];
        return norm;
    }

    float crossEntropyForward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing) {
        checkTargets(n, c, targets, weights);
        Tensor xs = in(logits, (long) n * c, "logits");
        double norm = norm(n, targets, weights);
        if (n == 0) return (float) (0 / norm);
        CudaBuffer ts = ints(Arrays.copyOf(targets, n)), ws = weights == null ? null : floats(weights);
        CudaBuffer rows = ops.buffer((long) n * Double.BYTES);
        gpu.crossEntropyForward(address(xs), ts.pointer(), ws == null ? 0 : ws.pointer(), rows.pointer(), n, c, smoothing);
        double total = 0;
        for (double r : doubles(rows, n)) total += r;
        Reference.reachabilityFence(new Object[] {xs, ts, ws});
        return (float) (total / norm);
    }

    void crossEntropyBackward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing,
                              float upstream, Tensor dlogits) {
        checkTargets(n, c, targets, weights);
        Tensor o = out(dlogits, (long) n * c, "dlogits");
        Tensor xs = in(logits, (long) n * c, "logits");
        if (o.size() == 0) return;
        double weightSum = 0;
        for (int j = 0; j < c; j++) weightSum += weights == null ? 1 : weights[j];
        CudaBuffer ts = ints(Arrays.copyOf(targets, n)), ws = weights == null ? null : floats(weights);
        gpu.crossEntropyBackward(address(xs), ts.pointer(), ws == null ? 0 : ws.pointer(), address(o), n, c, smoothing,
                norm(n, targets, weights), weightSum, upstream);
        Reference.reachabilityFence(new Object[] {xs, ts, ws});
    }

    // ---- optimisers ---------------------------------------------------------------------------------------------

    void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, AdamStep s) {
        long n = w.size();
        Tensor ow = out(w, n, "weights"), om = out(m, n, "first moment"), ov = out(v, n, "second moment");
        Tensor gs = in(g, n, "gradient");
        if (n > 0) {
            gpu.adamStep(address(ow), address(gs), address(om), address(ov), n, s.beta1(), s.beta2(), s.eps(),
                    s.weightDecay(), s.decoupled(), s.stepSize(), s.decay(), s.correction2Root());
        }
        Reference.reachabilityFence(gs);
    }

    void sgdStep(Tensor w, Tensor g, Tensor momentum, SgdStep s) {
        long n = w.size();
        Tensor ow = out(w, n, "weights"), ob = s.momentum() == 0 ? null : out(momentum, n, "momentum buffer");
        if (s.momentum() != 0 && ob == null) throw new IllegalArgumentException("SGD with momentum needs its buffer");
        Tensor gs = in(g, n, "gradient");
        if (n > 0) {
            gpu.sgdStep(address(ow), address(gs), address(ob), n, s.lr(), s.momentum(), s.dampening(), s.weightDecay(),
                    s.nesterov(), s.first());
        }
        Reference.reachabilityFence(gs);
    }

    double sumOfSquares(Tensor g) {
        long n = g.size();
        if (n == 0) return 0;
        Tensor gs = ops.dense(g);
        int blocks = (int) Math.min((n + LaunchConfig.ELEMENTWISE_BLOCK - 1) / LaunchConfig.ELEMENTWISE_BLOCK,
                SQUARES_BLOCKS);
        CudaBuffer partials = ops.buffer((long) blocks * Double.BYTES);
        gpu.sumOfSquares(address(gs), partials.pointer(), n, blocks);
        double total = 0;
        for (double p : doubles(partials, blocks)) total += p;
        Reference.reachabilityFence(gs);
        return total;
    }
}
