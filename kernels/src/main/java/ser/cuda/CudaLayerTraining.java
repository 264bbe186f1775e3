package ser.cuda;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.kernels.TrainingOps.Indices;
import ser.autograd.reference.ConvShape;
import ser.tensor.Tensor;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training kernels of layers on a GPU, for {@link CudaOps}'s {@link TrainingOps}: linear, convolution, batch
 * norm, max pooling and the fused convolution block, forward and backward. Called with CudaOps's lock held.
 *
 * <p>GEMMs go to cuBLAS in the backend's precision, mostly through {@link CudaOps#gemm} on views; the rest are the
 * kernels of conv.cu, batch_norm.cu and pooling.cu. Inputs may be host tensors (uploaded as read); outputs are this
 * backend's, dense.
 *
 * <p>Temporaries and uploads are {@linkplain #hold held} until a call's launches are queued: a block that became
 * unreachable could go back to the pool, and to a later temporary of the same call, before a kernel read it.
 */
final class CudaLayerTraining {

    /** Floats of im2col columns per chunk of a convolution's batch: bounds the temporary, whatever the batch. */
    static final long COLUMN_BUDGET = 1L << 25;
    /** Values a block of a per-channel reduction sums at least, before a channel is split into slices. */
    static final long SLICE_VALUES = 8192;
    /** Blocks of a per-channel reduction, at most, once channels are split: enough to fill a GPU. */
    static final int SLICE_BLOCKS = 1024;

    private final CudaOps ops;
    private final Gpu gpu;
    private final long columnBudget;
    private final long sliceValues;

    CudaLayerTraining(CudaOps ops, Gpu gpu) {
        this(ops, gpu, COLUMN_BUDGET, SLICE_VALUES);
    }

    /** With other bounds on the columns and the slices, so that a test splits small batches and channels. */
    CudaLayerTraining(CudaOps ops, Gpu gpu, long columnBudget, long sliceValues) {
        this.ops = ops;
        this.gpu = gpu;
        this.columnBudget = columnBudget;
        this.sliceValues = sliceValues;
    }

    /** Pooling indices in device memory: ints from the pool, opaque to callers. */
    record DeviceIndices(CudaBuffer buffer, int size) implements Indices {
        long pointer() { return buffer.pointer(); }
    }

    Indices indices(int size) {
        if (size < 0) throw new IllegalArgumentException("indices of size " + size);
        return new DeviceIndices(ops.buffer(Math.max(size, 1) * (long) Integer.BYTES), size);
    }

    private static DeviceIndices ints(Indices from, long size) {
        if (!(from instanceof DeviceIndices d)) throw new IllegalArgumentException(from + " are not indices of CUDA");
        if (d.size() < size) throw new IllegalArgumentException("indices of size " + d.size() + " for " + size + " outputs");
        return d;
    }

    /** A dense device input (uploaded if on the host), viewed flat. */
    private Tensor in(Tensor t, long size) {
        Tensor d = ops.dense(t);
        if (d.size() != size) throw new IllegalArgumentException(t + " has " + d.size() + " elements, expected " + size);
        return d;
    }

    /** A dense output of this backend; 0 for a null (not wanted) one. */
    private long out(Tensor t, long size) {
        if (t == null) return 0;
        ops.owned(t);
        if (!t.isContiguous()) throw new IllegalArgumentException("training outputs are dense, got " + t);
        if (t.size() != size) throw new IllegalArgumentException(t + " has " + t.size() + " elements, expected " + size);
        return ops.address(t);
    }

    /** The temporaries and uploads of the call in progress. */
    private final List<Object> held = new ArrayList<>();

    private <T> T hold(T t) {
        held.add(t);
        return t;
    }

    /** The call's launches are queued: its temporaries may go. */
    private void done() {
        Reference.reachabilityFence(held);
        held.clear();
    }

    /** A temporary of {@code size} floats, held. */
    private long temp(long size) {
        return ops.address(hold(ops.empty(Math.toIntExact(size))));
    }

    /** An output's device address, or a temporary's of {@code size} floats for a null one. */
    private long outOrTemp(Tensor t, int size) {
        return t != null ? out(t, size) : temp(size);
    }

    /** A per-channel input's device address (uploaded if on the host), held; 0 for null. */
    private long param(Tensor t, int c) {
        return t == null ? 0 : ops.address(hold(in(t, c)));
    }

    // ---- linear ---------------------------------------------------------------------------------------------

    void linearForward(int n, int in, int out, Tensor x, Tensor w, Tensor b, Tensor y) {
        out(y, (long) n * out);
        Tensor y2 = y.reshape(n, out);
        ops.gemm(1f, in(x, (long) n * in).reshape(n, in), in(w, (long) out * in).reshape(out, in).transpose(0, 1), 0f, y2);
        if (b != null) ops.add(y2, in(b, out).reshape(out), y2);
    }

    void linearBackward(int n, int in, int out, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        Tensor g = in(dy, (long) n * out).reshape(n, out);
        if (dx != null) {
            out(dx, (long) n * in);
            ops.gemm(1f, g, in(w, (long) out * in).reshape(out, in), 0f, dx.reshape(n, in));
        }
        if (dw != null) {
            out(dw, (long) out * in);
            ops.gemm(1f, g.transpose(0, 1), in(x, (long) n * in).reshape(n, in), 0f, dw.reshape(out, in));
        }
        if (db != null) {
            long d = out(db, out);
            if (n == 0) ops.fillZero(db);
            else if (out > 0) channelSum(ops.address(g), d, n, out, 1);
        }
    }

    // ---- convolution ----------------------------------------------------------------------------------------

    /** Examples per im2col chunk: as many as the column budget allows, at least one. */
    private int chunk(ConvShape s) {
        long perExample = (long) s.patch() * s.outH() * s.outW();
        return (int) Math.max(1, Math.min(s.n(), columnBudget / Math.max(perExample, 1)));
    }

    /**
     * Per chunk of examples, im2col then {@code y[b] = w[cout, patch] · col[patch, b's L columns]} for each example b
     * of the chunk in one strided-batched GEMM; the bias broadcast last. In bf16 precision, whose operands CudaOps
     * rounds, one GEMM into [cout, nb, L] through {@link CudaOps#gemm}, which a copy transposes into y.
     */
    void conv2dForward(ConvShape s, Tensor x, Tensor w, Tensor b, Tensor y) {
        int l = s.outH() * s.outW(), cout = s.cout(), patch = s.patch();
        Tensor xs = in(x, (long) s.n() * s.inputSize()), ws = in(w, s.weightSize()).reshape(cout, patch);
        out(y, (long) s.n() * s.outputSize());
        if (s.n() == 0 || cout == 0 || l == 0) return;
        Tensor y3 = y.reshape(s.n(), cout, l);
        int chunk = chunk(s);
        boolean direct = ops.precision() != Cublas.Precision.BF16;
        Tensor col = ops.empty(patch, chunk * l);
        Tensor tmp = chunk > 1 && !direct ? ops.empty(cout, chunk * l) : null;
        for (int b0 = 0; b0 < s.n(); b0 += chunk) {
            int nb = Math.min(chunk, s.n() - b0);
            // a last, smaller chunk's columns lie dense at the start of the buffer, as im2col writes them
            Tensor cols = Tensor.onDevice(col.deviceBuffer(), 0, patch, nb * l);
            gpu.im2col(ops.address(xs) + (long) b0 * s.inputSize() * Float.BYTES, ops.address(cols), nb, s.cin(), s.h(),
                    s.w(), s.kh(), s.kw(), s.stride(), s.pad(), s.outH(), s.outW());
            if (direct) {
                gpu.gemm(ops.precision(), false, false, cout, l, patch, 1f, ops.address(ws), patch, 0, ops.address(cols),
                        nb * l, l, 0f, ops.address(y3.select(0, b0)), l, (long) cout * l, nb);
            } else if (nb == 1) {
                ops.gemm(1f, ws, cols, 0f, y3.select(0, b0));
            } else {
                Tensor t = Tensor.onDevice(tmp.deviceBuffer(), 0, cout, nb * l);
                ops.gemm(1f, ws, cols, 0f, t);
                ops.copy(t.reshape(cout, nb, l).transpose(0, 1), y3.slice(0, b0, b0 + nb));
            }
        }
        if (b != null) ops.add(y3, in(b, cout).reshape(cout, 1), y3);
        Reference.reachabilityFence(Arrays.asList(xs, ws, col, tmp));
    }

    /**
     * Per chunk: dy transposed to dyT[cout, nb·L]; {@code dw += dyT · colᵀ} (one GEMM over the chunk),
     * {@code dcol = wᵀ · dyT} into the columns' memory, then col2im gathers dx. db: dy's channel sums.
     */
    void conv2dBackward(ConvShape s, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        int l = s.outH() * s.outW(), cout = s.cout(), patch = s.patch(), n = s.n();
        Tensor g = in(dy, (long) n * s.outputSize());
        long dxAt = out(dx, (long) n * s.inputSize()), dbAt = out(db, cout);
        out(dw, s.weightSize());
        if (db != null && cout > 0) {
            if ((long) n * l == 0) ops.fillZero(db); else channelSum(ops.address(g), dbAt, n, cout, l);
        }
        if (dx == null && dw == null) return;
        if (n == 0 || l == 0 || cout == 0) {  // nothing reaches x or w
            if (dx != null) ops.fillZero(dx);
            if (dw != null) ops.fillZero(dw);
            return;
        }
        Tensor xs = dw == null ? null : in(x, (long) n * s.inputSize());
        Tensor ws = dx == null ? null : in(w, s.weightSize()).reshape(cout, patch);
        Tensor dw2 = dw == null ? null : dw.reshape(cout, patch);
        Tensor g3 = g.reshape(n, cout, l);
        int chunk = chunk(s);
        Tensor col = ops.empty(patch, chunk * l), dyT = ops.empty(cout, chunk * l);
        for (int b0 = 0; b0 < n; b0 += chunk) {
            int nb = Math.min(chunk, n - b0);
            Tensor cols = Tensor.onDevice(col.deviceBuffer(), 0, patch, nb * l);
            Tensor gT = Tensor.onDevice(dyT.deviceBuffer(), 0, cout, nb * l);
            if (nb == 1) gT = g3.select(0, b0);
            else ops.copy(g3.slice(0, b0, b0 + nb).transpose(0, 1), gT.reshape(cout, nb, l));
            if (dw != null) {
                gpu.im2col(ops.address(xs) + (long) b0 * s.inputSize() * Float.BYTES, ops.address(cols), nb, s.cin(),
                        s.h(), s.w(), s.kh(), s.kw(), s.stride(), s.pad(), s.outH(), s.outW());
                ops.gemm(1f, gT, cols.transpose(0, 1), b0 == 0 ? 0f : 1f, dw2);
            }
            if (dx != null) {
                // the columns are read by the dw GEMM queued before: on one stream, overwriting them now is safe
                ops.gemm(1f, ws.transpose(0, 1), gT, 0f, cols);
                gpu.col2im(ops.address(cols), dxAt + (long) b0 * s.inputSize() * Float.BYTES, nb, s.cin(), s.h(), s.w(),
                        s.kh(), s.kw(), s.stride(), s.pad(), s.outH(), s.outW());
            }
        }
        Reference.reachabilityFence(Arrays.asList(g, xs, ws, col, dyT));
    }

    // ---- per-channel reductions ----------------------------------------------------------------------------

    /** Slices a channel's {@code count} values are split into: blocks of at least sliceValues, within SLICE_BLOCKS. */
    private int slices(int c, long count) {
        long wanted = count / sliceValues, room = Math.max(1, SLICE_BLOCKS / Math.max(c, 1));
        return (int) Math.max(1, Math.min(wanted, room));
    }

    /** {@code out[ch] = Σ x[·, ch, ·]} of x[n, c, spatial]. */
    private void channelSum(long x, long out, int n, int c, int spatial) {
        int slices = slices(c, (long) n * spatial);
        long partial = temp((long) c * slices);
        gpu.channelSum(x, partial, n, c, spatial, slices);
        gpu.sumSlices(partial, 1, out, 0, c, slices);
    }

    /** The batch mean and biased variance per channel of x[n, c, spatial]. */
    private void stats(long x, long mean, long var, int n, int c, int spatial) {
        long count = (long) n * spatial;
        int slices = slices(c, count);
        long partial = temp(2L * c * slices);
        gpu.batchNormStats(x, partial, n, c, spatial, slices);
        gpu.batchNormStatsMerge(partial, mean, var, c, slices, count);
    }

    // ---- batch norm -----------------------------------------------------------------------------------------

    void batchNormTrain(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean,
                        Tensor var) {
        long size = (long) n * c * spatial;
        long xa = ops.address(hold(in(x, size))), ya = out(y, size);
        if (c > 0) {
            long m = outOrTemp(mean, c), v = outOrTemp(var, c);
            stats(xa, m, v, n, c, spatial);
            if (ya != 0 && size > 0) gpu.batchNormApply(xa, param(gamma, c), param(beta, c), m, v, ya, n, c, spatial, eps);
        }
        done();
    }

    void batchNormEval(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean, Tensor var,
                       Tensor y) {
        long size = (long) n * c * spatial;
        long xa = ops.address(hold(in(x, size))), ya = out(y, size);
        if (size > 0) {
            gpu.batchNormApply(xa, param(gamma, c), param(beta, c), param(mean, c), param(var, c), ya, n, c, spatial, eps);
        }
        done();
    }

    void batchNormBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var,
                           Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        backward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dgamma, dbeta, true);
    }

    void batchNormEvalBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var,
                               Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        backward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dgamma, dbeta, false);
    }

    /** The sums first (training's dx needs them; dgamma and dbeta are them), then dx, which may overwrite x. */
    private void backward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var,
                          Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta, boolean train) {
        long size = (long) n * c * spatial;
        long xa = ops.address(hold(in(x, size))), ga = ops.address(hold(in(dy, size))), dxAt = out(dx, size);
        if (c > 0) {
            long m = param(mean, c), v = param(var, c), sumDyXhat = 0, sumDy = 0;
            if (train || dgamma != null || dbeta != null) {
                sumDyXhat = outOrTemp(dgamma, c);
                sumDy = outOrTemp(dbeta, c);
                int slices = slices(c, (long) n * spatial);
                long partial = temp(2L * c * slices);
                gpu.batchNormBackwardSums(xa, ga, m, v, partial, n, c, spatial, eps, slices);
                gpu.sumSlices(partial, 2, sumDyXhat, sumDy, c, slices);
            }
            if (dxAt != 0 && size > 0) {
                gpu.batchNormBackwardDx(xa, ga, param(gamma, c), m, v, train ? sumDyXhat : 0, train ? sumDy : 0, dxAt, n, c,
                        spatial, eps);
            }
        }
        done();
    }

    void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, float momentum, long count) {
        int c = Math.toIntExact(mean.size());
        long rm = out(runningMean, c), rv = out(runningVar, c);
        if (c > 0) gpu.batchNormRunningUpdate(rm, rv, param(mean, c), param(var, c), c, momentum, count, count - 1);
        done();
    }

    // ---- batch norm, pooling and ReLU in one ----------------------------------------------------------------

    void batchNormPoolReluTrain(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y,
                                Indices from, Tensor mean, Tensor var) {
        long size = (long) n * c * h * w, pooled = (long) n * c * (h / 2) * (w / 2);
        long xa = ops.address(hold(in(x, size))), ya = out(y, pooled);
        long at = from == null ? 0 : ints(from, pooled).pointer();
        if (c > 0) {
            long m = outOrTemp(mean, c), v = outOrTemp(var, c);
            stats(xa, m, v, n, c, h * w);
            if (pooled > 0) gpu.batchNormPoolRelu(xa, param(gamma, c), param(beta, c), m, v, ya, at, n, c, h, w, eps);
        }
        done();
    }

    void batchNormPoolReluEval(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean,
                               Tensor var, Tensor y) {
        long size = (long) n * c * h * w, pooled = (long) n * c * (h / 2) * (w / 2);
        long xa = ops.address(hold(in(x, size))), ya = out(y, pooled);
        if (pooled > 0) {
            gpu.batchNormPoolRelu(xa, param(gamma, c), param(beta, c), param(mean, c), param(var, c), ya, 0, n, c, h, w, eps);
        }
        done();
    }

    /**
     * ReLU's and pooling's backward in one gather (the upstream gradient where y is positive, to each window's
     * maximum) into a temporary, then batch norm's backward from it, which may overwrite x (dx == x).
     */
    void batchNormPoolReluBackward(int n, int c, int h, int w, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var,
                                   Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        int oh = h / 2, ow = w / 2;
        long size = (long) n * c * h * w, pooled = (long) n * c * oh * ow;
        Tensor ys = in(y, pooled), g = in(dy, pooled);
        Tensor dNormalised = ops.empty(n, c, h * w);
        if (size > 0) {
            if (pooled > 0) {
                gpu.maxPoolBackward(ints(from, pooled).pointer(), ops.address(g), ops.address(ys),
                        ops.address(dNormalised), (long) n * c, h, w, oh, ow, 2, 2);
            } else {
                ops.fillZero(dNormalised);
            }
        }
        backward(n, c, h * w, x, gamma, eps, mean, var, dNormalised, dx, dgamma, dbeta, true);
        Reference.reachabilityFence(Arrays.asList(ys, g, dNormalised));
    }

    void convBlockBackward(ConvShape s, Tensor x, Tensor w, Tensor conv, Tensor gamma, float eps, Tensor mean, Tensor var,
                           Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dw, Tensor db, Tensor dgamma,
                           Tensor dbeta) {
        batchNormPoolReluBackward(s.n(), s.cout(), s.outH(), s.outW(), conv, gamma, eps, mean, var, y, from, dy, conv,
                dgamma, dbeta);
        conv2dBackward(s, x, w, conv, dx, dw, db);
    }

    // ---- max pooling ----------------------------------------------------------------------------------------

    private static int pooledSize(int in, int kernel, int stride) {
        if (kernel < 1 || stride < 1 || in < kernel) {
            throw new IllegalArgumentException("pooling " + in + " with kernel " + kernel + " and stride " + stride);
        }
        return (in - kernel) / stride + 1;
    }

    void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Tensor y, Indices from) {
        int oh = pooledSize(h, kernel, stride), ow = pooledSize(w, kernel, stride);
        long pooled = (long) n * c * oh * ow;
        Tensor xs = in(x, (long) n * c * h * w);
        long ya = out(y, pooled);
        if (pooled > 0) gpu.maxPoolForward(ops.address(xs), ya, ints(from, pooled).pointer(), (long) n * c, h, w, oh, ow, kernel, stride);
        Reference.reachabilityFence(xs);
    }

    /** Gathers from the indices of the forward pass; x is not read. */
    void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Indices from, Tensor dy, Tensor dx) {
        int oh = pooledSize(h, kernel, stride), ow = pooledSize(w, kernel, stride);
        long pooled = (long) n * c * oh * ow, size = (long) n * c * h * w;
        Tensor g = in(dy, pooled);
        long dxAt = out(dx, size);
        if (size > 0) gpu.maxPoolBackward(ints(from, pooled).pointer(), ops.address(g), 0, dxAt, (long) n * c, h, w, oh, ow, kernel, stride);
        Reference.reachabilityFence(g);
    }
}
