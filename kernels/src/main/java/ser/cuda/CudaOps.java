package ser.cuda;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.ConvShape;
import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Parallel;
import ser.tensor.Shapes;
import ser.tensor.Storage;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The CUDA backend: every {@link Ops} operation on a GPU, from cuBLAS (GEMMs) and our kernels (element-wise over
 * any strided, broadcast views; row reductions, softmax, layer norm; sequence masks and windows). Activations are
 * {@link Storage#DEVICE} tensors from a caching pool; host operands are uploaded as they are read, and mapped ones
 * (weights) once, then kept.
 *
 * <p>Views are served as the CPU backends serve them: a GEMM operand that is row-major or the transpose of a
 * row-major matrix goes to cuBLAS as it is, with a transpose flag; anything else, and any operand of a row kernel
 * that is not contiguous, is first gathered into a contiguous temporary by {@code strided_map}.
 *
 * <p>GEMM precision: {@link Cublas.Precision#FP32} (IEEE products), {@link Cublas.Precision#TF32} (tensor cores,
 * inputs rounded to 10-bit mantissas) or {@link Cublas.Precision#BF16} (operands rounded to bf16, prepacked weights
 * stored so); everything else is fp32.
 *
 * <p>All work goes in order on one stream; calls from several threads are serialised (a model's per-thread
 * {@link #workspace()} keeps their buffers apart). Serialising also makes the caching pool safe: no block a call
 * still reads can be handed to another thread before the call's launches are queued.
 */
public final class CudaOps implements TrainingOps {

    private final Gpu gpu;
    private final Cublas.Precision precision;
    private final DevicePool pool;
    private final String name;
    /**
     * Uploads of mapped host views (weights), by the mapping's lifetime and then address and geometry: a model's
     * uploads go when its mapping does (the scope is held weakly), not with the backend, which a process keeps.
     */
    private final Map<MemorySegment.Scope, Map<HostView, Tensor>> constants = new java.util.WeakHashMap<>();
    private final Tensor zero;
    /** For the default forms that loop with a pool: on the calling thread, which holds this backend's lock. */
    private static final Parallel SERIAL = new Parallel(1);
    private final CudaLayerTraining layers;
    private final CudaPointwiseTraining pointwise;

    /** The backend on the process's GPU (device 0); throws {@link CudaException} with the reason when there is none. */
    public CudaOps(Cublas.Precision precision) {
        this(new CudaGpu(Cuda.device()), precision);
    }

    CudaOps(Gpu gpu, Cublas.Precision precision) {
        this.gpu = gpu;
        this.precision = precision;
        this.pool = new DevicePool(gpu);
        this.name = gpu.name();
        this.zero = zeros(1);
        this.layers = new CudaLayerTraining(this, gpu);
        this.pointwise = new CudaPointwiseTraining(this, gpu);
    }

    public Cublas.Precision precision() { return precision; }

    @Override public String toString() { return "CudaOps[" + name + ", " + precision + "]"; }

    // ---- memory -------------------------------------------------------------------------------------------------

    CudaBuffer buffer(long bytes) {
        return pool.allocate(bytes, p -> new CudaBuffer(this, p, DevicePool.sizeClass(bytes), name));
    }

    /** A contiguous device tensor, its contents undefined. */
    Tensor empty(int... shape) {
        return Tensor.onDevice(buffer(Math.max(Tensor.count(shape), 1) * Float.BYTES), 0, shape);
    }

    @Override
    public synchronized Tensor zeros(int... shape) {
        Tensor t = empty(shape);
        if (t.size() > 0) gpu.fill32(address(t), 0, t.size());
        return t;
    }

    @Override
    public Workspace workspace() {
        ThreadLocal<Map<String, CudaBuffer>> buffers = ThreadLocal.withInitial(HashMap::new);
        return (bufferName, shape) -> {
            synchronized (this) {  // allocates from the pool: see the class comment
                return take(buffers.get(), bufferName, shape);
            }
        };
    }

    private Tensor take(Map<String, CudaBuffer> mine, String bufferName, int[] shape) {
        long bytes = Math.max(Tensor.count(shape), 1) * Float.BYTES;
        CudaBuffer b = mine.get(bufferName);
        if (b == null || b.byteSize() < bytes) mine.put(bufferName, b = buffer(bytes));
        return Tensor.onDevice(b, 0, shape);
    }

    @Override
    public synchronized Tensor upload(Tensor host) {
        if (!host.isHost()) throw new IllegalArgumentException("upload of " + host + ", which is not in host memory");
        Tensor t = empty(host.shape());
        copyIn(host, t);
        return t;
    }

    /** Copies a host tensor into a contiguous device tensor of its shape. */
    private void copyIn(Tensor host, Tensor device) {
        long n = host.size();
        if (n == 0) return;
        Tensor dense = host.isContiguous() ? host : host.contiguous();
        MemorySegment src = dense.segment().asSlice(dense.offset() * Float.BYTES, n * Float.BYTES);
        if (src.isNative()) {
            gpu.upload(address(device), src, n * Float.BYTES);
        } else {
            try (Arena staging = Arena.ofConfined()) {
                MemorySegment s = staging.allocate(n * Float.BYTES, 64);
                s.copyFrom(src);
                gpu.upload(address(device), s, n * Float.BYTES);
            }
        }
    }

    @Override
    public synchronized Tensor download(Tensor t) {
        if (t.isHost()) return t;
        owned(t);
        float[] host = new float[Math.toIntExact(t.size())];
        if (host.length > 0) {
            Tensor dense = dense(t);
            try (Arena staging = Arena.ofConfined()) {
                MemorySegment s = staging.allocate((long) host.length * Float.BYTES, 64);
                gpu.download(s, address(dense), s.byteSize());
                MemorySegment.copy(s, JAVA_FLOAT, 0, host, 0, host.length);
            }
        }
        return Tensor.wrap(host, t.shape());
    }

    /** The device address of element 0 of a device tensor of this backend. */
    long address(Tensor t) {
        return ((CudaBuffer) owned(t).deviceBuffer()).pointer() + t.offset() * Float.BYTES;
    }

    Tensor owned(Tensor t) {
        if (t.isHost() || t.deviceBuffer().backend() != this) {
            throw new IllegalArgumentException(t + " is not memory of " + this + (t.isHost() ? "" : " but of " + t.deviceBuffer().device()));
        }
        return t;
    }

    /** An operand where the GPU can read it: a tensor of this backend as it is, a host one uploaded (mapped ones once). */
    Tensor onDevice(Tensor t) {
        if (!t.isHost()) return owned(t);
        if (t.storage() != Storage.MAPPED) return upload(t);
        MemorySegment s = t.segment();
        return constants.computeIfAbsent(s.scope(), k -> new HashMap<>())
                .computeIfAbsent(new HostView(s.address(), s.byteSize(), t.offset(), t.shape(), t.strides()), k -> upload(t));
    }

    /** Identity of a host view inside one mapping: the segment's address and size, the view's offset and geometry. */
    private record HostView(long address, long bytes, long offset, int[] shape, long[] strides) {
        @Override public boolean equals(Object o) {
            return o instanceof HostView v && address == v.address && bytes == v.bytes && offset == v.offset
                    && Arrays.equals(shape, v.shape) && Arrays.equals(strides, v.strides);
        }

        @Override public int hashCode() {
            return Long.hashCode(address + offset) * 31 + Arrays.hashCode(shape);
        }
    }

    /**
     * Gives the driver back the device memory this backend caches for reuse: the blocks of every tensor no longer
     * reachable (after a collection). Live tensors and the weights of loaded models stay. For a process that ran a
     * large batch and goes on with small ones, or hands the GPU to other work.
     */
    public synchronized void releaseCached() {
        pool.trim();
    }

    /** {@code t} on the device and contiguous: itself, or a gathered copy. */
    Tensor dense(Tensor t) {
        Tensor d = onDevice(t);
        if (d.isContiguous()) return d;
        Tensor copy = empty(d.shape());
        map(StridedMap.COPY, 0f, d, null, copy);
        return copy;
    }

    /** Runs {@code write} into {@code out} if it is contiguous, else into a temporary then copied into out's layout. */
    void intoDense(Tensor out, Consumer<Tensor> write) {
        owned(out);
        if (out.isContiguous()) {
            write.accept(out);
        } else {
            Tensor tmp = empty(out.shape());
            write.accept(tmp);
            map(StridedMap.COPY, 0f, tmp, null, out);
        }
    }

    // ---- linear layers ------------------------------------------------------------------------------------------

    /** The GEMM, then the bias and the activation in one pass ({@code strided_map}'s bias + GELU), not two. */
    @Override
    public synchronized void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation,
                                    Tensor out) {
        gemm(1f, x, w, beta, out);
        boolean gelu = activation == Activation.GELU;
        if (bias != null) map(gelu ? StridedMap.ADD_GELU : StridedMap.ADD, 0f, out, bias, out);
        else if (gelu) map(StridedMap.GELU, 0f, out, null, out);
    }

    // ---- attention ----------------------------------------------------------------------------------------------

    /**
     * A sequence at a time, every head in one launch each: the queries of all heads scaled (one pass, as the
     * reference scales them before scoring), then per sequence b a strided-batched GEMM over heads for the scores
     * [heads, T, keys_b], one softmax launch over their rows, and a strided-batched GEMM into b's rows of out (head
     * h's columns at h·d). 3 · B + 1 launches a layer instead of about 5 · B · heads. {@code parallel} is not used.
     */
    @Override
    public synchronized void multiHeadAttention(Tensor qkv, int[] keys, int heads, float scale, Parallel parallel,
                                                Tensor out) {
        Shapes.checkMultiHeadAttention(qkv, keys, heads, out);
        int batch = keys.length, steps = qkv.dim(0) / batch, dim = out.dim(1), headDim = dim / heads;
        Tensor x = onDevice(qkv);
        if (x.stride(1) != 1 || out.stride(1) != 1 || out.stride(0) < dim || x.stride(0) < 3L * dim) {
            TrainingOps.super.multiHeadAttention(qkv, keys, heads, scale, SERIAL, out);  // views cuBLAS cannot take
            return;
        }
        owned(out);
        boolean half = precision == Cublas.Precision.BF16;
        int in = half ? 2 : 4;  // bytes of a GEMM input element
        Tensor scaled = empty(qkv.dim(0), dim);
        map(StridedMap.SCALE, scale, x.slice(1, 0, dim), null, scaled);
        long ldx = x.stride(0), ldo = out.stride(0);
        long q = address(scaled), kv = address(x);
        CudaBuffer qHalf = null, kvHalf = null, pHalf = null;
        if (half) {  // the GEMM inputs rounded to bf16 once, as the linear layers' are
            qHalf = buffer(scaled.size() * 2);
            kvHalf = buffer((long) qkv.dim(0) * ldx * 2);
            gpu.toBf16(q, qHalf.pointer(), scaled.size());
            gpu.toBf16(kv, kvHalf.pointer(), (long) (qkv.dim(0) - 1) * ldx + 3L * dim);
            q = qHalf.pointer();
            kv = kvHalf.pointer();
            pHalf = buffer((long) heads * steps * steps * 2);
        }
        Tensor scores = empty(heads, steps, steps);
        for (int b = 0; b < batch; b++) {
            int n = keys[b];
            long rowQ = q + (long) b * steps * dim * in, rowX = kv + (long) b * steps * ldx * in;
            // scores[h] = q_h [T, d] · k_h[0:n]ᵀ: k_h is the transpose of a row-major [n, d] with ld = ldx
            gpu.gemm(precision, false, true, steps, n, headDim, 1f, rowQ, dim, headDim,
                    rowX + (long) dim * in, (int) ldx, headDim, 0f, address(scores), n, (long) steps * n, heads);
            gpu.rowSoftmax(address(scores), address(scores), (long) heads * steps, n, false);
            long p = address(scores);
            if (half) {
                gpu.toBf16(p, pHalf.pointer(), (long) heads * steps * n);
                p = pHalf.pointer();
            }
            // out_h [T, d] = p_h [T, n] · v_h[0:n] [n, d], into columns h·d of sequence b's rows
            gpu.gemm(precision, false, false, steps, headDim, n, 1f, p, n, (long) steps * n,
                    rowX + 2L * dim * in, (int) ldx, headDim, 0f,
                    address(out) + (long) b * steps * ldo * Float.BYTES, (int) ldo, headDim, heads);
        }
        Reference.reachabilityFence(Arrays.asList(scaled, scores, qHalf, kvHalf, pHalf, x));
    }

    // ---- element-wise -------------------------------------------------------------------------------------------

    void map(int op, float s, Tensor a, Tensor b, Tensor out) {
        if (b == null) Shapes.checkSame(a, out); else Shapes.checkBinary(a, b, out);
        owned(out);
        if (out.size() == 0) return;
        Tensor da = onDevice(a), db = b == null ? null : onDevice(b);
        StridedMap m = StridedMap.of(op, s, out.shape(), out.strides(), da.shape(), da.strides(),
                db == null ? null : db.shape(), db == null ? null : db.strides());
        gpu.stridedMap(m, address(da), db == null ? 0 : address(db), address(out));
    }

    @Override public synchronized void copy(Tensor a, Tensor out) { map(StridedMap.COPY, 0f, a, null, out); }

    @Override public synchronized void add(Tensor a, Tensor b, Tensor out) { map(StridedMap.ADD, 0f, a, b, out); }

    @Override public synchronized void sub(Tensor a, Tensor b, Tensor out) { map(StridedMap.SUB, 0f, a, b, out); }

    @Override public synchronized void mul(Tensor a, Tensor b, Tensor out) { map(StridedMap.MUL, 0f, a, b, out); }

    @Override public synchronized void scale(Tensor a, float s, Tensor out) { map(StridedMap.SCALE, s, a, null, out); }

    @Override public synchronized void addScalar(Tensor a, float s, Tensor out) { map(StridedMap.ADD_SCALAR, s, a, null, out); }

    @Override public synchronized void relu(Tensor a, Tensor out) { map(StridedMap.RELU, 0f, a, null, out); }

    @Override public synchronized void gelu(Tensor a, Tensor out) { map(StridedMap.GELU, 0f, a, null, out); }

    @Override public synchronized void exp(Tensor a, Tensor out) { map(StridedMap.EXP, 0f, a, null, out); }

    @Override public synchronized void log(Tensor a, Tensor out) { map(StridedMap.LOG, 0f, a, null, out); }

    @Override public synchronized void sqrt(Tensor a, Tensor out) { map(StridedMap.SQRT, 0f, a, null, out); }

    // ---- reductions and row-wise --------------------------------------------------------------------------------

    private static int cols(Tensor a) {
        Shapes.requireLastAxis(a);
        return a.dim(-1);
    }

    private void reduce(int op, Tensor a, Tensor out) {
        Tensor rowsOut = Shapes.reducedView(a, out);
        long rows = Shapes.rows(a);
        if (rows == 0) return;
        Tensor x = dense(a);
        intoDense(rowsOut, o -> {
            gpu.rowReduce(op, address(x), address(o), rows, cols(a));
        });
    }

    /** Row operations as numbered in row_ops.cu. */
    static final int ROW_SUM = 0, ROW_MAX = 1, ROW_MEAN = 2;

    @Override public synchronized void sum(Tensor a, Tensor out) { reduce(ROW_SUM, a, out); }

    @Override public synchronized void max(Tensor a, Tensor out) { reduce(ROW_MAX, a, out); }

    @Override public synchronized void mean(Tensor a, Tensor out) { reduce(ROW_MEAN, a, out); }

    @Override
    public synchronized void argmax(Tensor a, int[] out) {
        int cols = cols(a);
        long rows = Shapes.rows(a);
        if (out.length != rows) throw new IllegalArgumentException("argmax of " + rows + " rows into an array of " + out.length);
        if (rows == 0) return;
        Tensor x = dense(a);
        CudaBuffer indices = buffer(rows * Integer.BYTES);
        gpu.rowArgmax(address(x), indices.pointer(), rows, cols);
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocate(JAVA_INT, rows);
            gpu.download(s, indices.pointer(), s.byteSize());
            MemorySegment.copy(s, JAVA_INT, 0, out, 0, out.length);
        }
    }

    @Override
    public synchronized float sumAll(Tensor a) {
        long n = a.size();
        if (n == 0) return 0f;
        Tensor x = dense(a);
        int cols = a.rank() == 0 ? 1 : Math.max(a.dim(-1), 1);
        long rows = n / cols;
        Tensor partial = empty(Math.toIntExact(rows));
        Tensor total = empty(1);
        gpu.rowReduce(ROW_SUM, address(x), address(partial), rows, cols);
        gpu.rowReduce(ROW_SUM, address(partial), address(total), 1, Math.toIntExact(rows));
        return download(total).get(0);
    }

    @Override public synchronized void softmax(Tensor a, Tensor out) { softmax(a, out, false); }

    @Override public synchronized void logSoftmax(Tensor a, Tensor out) { softmax(a, out, true); }

    private void softmax(Tensor a, Tensor out, boolean log) {
        Shapes.checkSame(a, out);
        int cols = cols(a);
        long rows = Shapes.rows(a);
        if (rows == 0) return;
        Tensor x = dense(a);
        intoDense(out, o -> {
            gpu.rowSoftmax(address(x), address(o), rows, cols, log);
        });
    }

    @Override
    public synchronized void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        Shapes.checkSame(x, out);
        int cols = cols(x);
        Shapes.checkVector(gamma, cols, "gamma");
        Shapes.checkVector(beta, cols, "beta");
        long rows = Shapes.rows(x);
        if (rows == 0) return;
        Tensor dx = dense(x);
        Tensor g = gamma == null ? null : dense(gamma), b = beta == null ? null : dense(beta);
        intoDense(out, o -> {
            gpu.rowLayerNorm(address(dx), g == null ? 0 : address(g), b == null ? 0 : address(b), address(o), rows, cols, eps);
        });
    }

    // ---- sequences ----------------------------------------------------------------------------------------------

    @Override
    public synchronized void maskRows(Tensor x, int[] lengths, Tensor out) {
        Shapes.checkMaskRows(x, lengths, out);
        int batch = x.dim(0), t = x.dim(1);
        if (x.size() == 0) return;
        long width = x.size() / ((long) batch * t);
        Tensor dx = dense(x);
        CudaBuffer lens = buffer((long) lengths.length * Integer.BYTES);
        try (Arena staging = Arena.ofConfined()) {
            MemorySegment s = staging.allocateFrom(JAVA_INT, lengths);
            gpu.upload(lens.pointer(), s, s.byteSize());
        }
        intoDense(out, o -> {
            gpu.maskRows(address(dx), address(o), lens.pointer(), batch, t, width);
        });
    }

    @Override
    public synchronized void padRows(Tensor x, int before, Tensor out) {
        Shapes.checkPadRows(x, before, out);
        if (out.size() == 0) return;
        fillZero(out);
        if (x.size() > 0) map(StridedMap.COPY, 0f, x, null, out.slice(0, before, before + x.dim(0)));
    }

    /** Zeroes any view of this backend: the one-element zero, broadcast. */
    void fillZero(Tensor out) {
        if (out.size() == 0) return;
        gpu.stridedMap(StridedMap.of(StridedMap.COPY, 0f, out.shape(), out.strides(), new int[] {1}, new long[] {1}, null, null),
                address(zero), 0, address(out));
    }

    @Override
    public synchronized void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        Shapes.checkFrameWindows(signal, kernel, stride, out);
        int frames = out.dim(0), width = out.dim(1);
        if (frames == 0) return;
        Tensor s = dense(signal);
        intoDense(out, o -> {
            gpu.frameWindows(address(s), address(o), frames, kernel, stride, shift, width);
        });
    }

    // ---- GEMM ---------------------------------------------------------------------------------------------------

    /** A GEMM operand as cuBLAS reads it: row-major with leading dimension {@code ld}, or its transpose. */
    private record Operand(long pointer, int ld, boolean transposed) {}

    /**
     * {@code t} [rows, cols] as an operand without copying when it is row-major, or the transpose of a row-major
     * matrix; else null. Strides along an axis of size 1 do not matter and are read as the dense ones.
     */
    static Operand asOperand(long pointer, int rows, int cols, long rowStride, long colStride) {
        long s0 = rows == 1 ? Math.max(cols, 1) : rowStride, s1 = cols == 1 ? 1 : colStride;
        if (s1 == 1 && s0 >= Math.max(cols, 1) && s0 <= Integer.MAX_VALUE) return new Operand(pointer, (int) s0, false);
        if (rows == 1 && cols == 1) return new Operand(pointer, 1, false);
        if (s0 == 1 && s1 >= Math.max(rows, 1) && s1 <= Integer.MAX_VALUE) return new Operand(pointer, (int) s1, true);
        return null;
    }

    /** {@code t} as an fp32 operand (or bf16 in BF16 precision): as it is where cuBLAS can read it, else gathered. */
    private Operand operand(Tensor t, List<Object> keepAlive) {
        Tensor d = onDevice(t);
        keepAlive.add(d);
        if (precision != Cublas.Precision.BF16) {
            Operand o = asOperand(address(d), d.dim(0), d.dim(1), d.stride(0), d.stride(1));
            if (o != null) return o;
        }
        Tensor dense = dense(d);
        keepAlive.add(dense);
        if (precision != Cublas.Precision.BF16) return new Operand(address(dense), Math.max(d.dim(1), 1), false);
        CudaBuffer half = buffer(Math.max(dense.size(), 1) * 2);
        keepAlive.add(half);
        gpu.toBf16(address(dense), half.pointer(), dense.size());
        return new Operand(half.pointer(), Math.max(d.dim(1), 1), false);
    }

    @Override
    public synchronized void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Shapes.checkGemm(a, b, c);
        List<Object> keepAlive = new ArrayList<>();
        gemm(alpha, a, operand(a, keepAlive), b.dim(0) == 0 ? null : operand(b, keepAlive), b.dim(1), beta, c);
        // The temporaries must stay reachable until their GEMM is queued: their blocks would go back to the pool.
        Reference.reachabilityFence(keepAlive);
    }

    private void gemm(float alpha, Tensor a, Operand oa, Operand ob, int n, float beta, Tensor c) {
        owned(c);
        int m = a.dim(0), k = a.dim(1);
        if (m == 0 || n == 0) return;
        if (k == 0) {  // no products: c = beta · c, with beta 0 ignoring c's old contents
            if (beta == 0f) fillZero(c); else scale(c, beta, c);
            return;
        }
        Operand oc = asOperand(address(c), m, n, c.stride(0), c.stride(1));
        if (oc != null && !oc.transposed()) {
            gpu.gemm(precision, oa.transposed(), ob.transposed(), m, n, k, alpha, oa.pointer(), oa.ld(), 0, ob.pointer(),
                    ob.ld(), 0, beta, oc.pointer(), oc.ld(), 0, 1);
            return;
        }
        Tensor tmp = beta == 0f ? empty(m, n) : dense(c);  // c is not row-major here: dense(c) is a copy
        gpu.gemm(precision, oa.transposed(), ob.transposed(), m, n, k, alpha, oa.pointer(), oa.ld(), 0, ob.pointer(), ob.ld(),
                0, beta, address(tmp), n, 0, 1);
        map(StridedMap.COPY, 0f, tmp, null, c);
    }

    /** A weight's copy on the device: fp32 row-major [K, N], or bf16 in BF16 precision. */
    private record Packed(CudaOps owner, Object storage, long pointer, int rows, int cols) {}

    @Override
    public synchronized PackedMatrix prepack(Tensor b) {
        if (b.rank() != 2) throw new IllegalArgumentException("a packed GEMM operand is a matrix, got rank " + b.rank());
        Tensor dense = b.size() == 0 ? zeros(b.shape()) : (b.isHost() ? upload(b) : dense(b));
        if (!dense.isContiguous()) dense = dense(dense);
        if (precision != Cublas.Precision.BF16) {
            return PackedMatrix.withCopy(b, new Packed(this, dense, address(dense), b.dim(0), b.dim(1)));
        }
        CudaBuffer half = buffer(Math.max(dense.size(), 1) * 2);
        if (dense.size() > 0) {
            gpu.toBf16(address(dense), half.pointer(), dense.size());
        }
        return PackedMatrix.withCopy(b, new Packed(this, half, half.pointer(), b.dim(0), b.dim(1)));
    }

    @Override
    public synchronized void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        if (!(b.copy() instanceof Packed p) || p.owner() != this) {
            gemm(alpha, a, b.matrix(), beta, c);  // another backend's handle: multiply by its view
            return;
        }
        Shapes.checkGemm(a, b.matrix(), c);
        List<Object> keepAlive = new ArrayList<>();
        keepAlive.add(p);
        gemm(alpha, a, operand(a, keepAlive), new Operand(p.pointer(), Math.max(p.cols(), 1), false), p.cols(), beta, c);
        Reference.reachabilityFence(keepAlive);
    }

    // ---- training (TrainingOps): layers in CudaLayerTraining, the rest in CudaPointwiseTraining ---------------------

    @Override
    public synchronized Indices indices(int size) {
        return layers.indices(size);
    }

    @Override
    public synchronized void linearForward(int n, int in, int out, Tensor x, Tensor w, Tensor b, Tensor y) {
        layers.linearForward(n, in, out, x, w, b, y);
    }

    @Override
    public synchronized void linearBackward(int n, int in, int out, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        layers.linearBackward(n, in, out, x, w, dy, dx, dw, db);
    }

    @Override
    public synchronized void conv2dForward(ConvShape s, Tensor x, Tensor w, Tensor b, Tensor y) {
        layers.conv2dForward(s, x, w, b, y);
    }

    @Override
    public synchronized void conv2dBackward(ConvShape s, Tensor x, Tensor w, Tensor dy, Tensor dx, Tensor dw, Tensor db) {
        layers.conv2dBackward(s, x, w, dy, dx, dw, db);
    }

    @Override
    public synchronized void batchNormTrain(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor var) {
        layers.batchNormTrain(n, c, spatial, x, gamma, beta, eps, y, mean, var);
    }

    @Override
    public synchronized void batchNormEval(int n, int c, int spatial, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean, Tensor var, Tensor y) {
        layers.batchNormEval(n, c, spatial, x, gamma, beta, eps, mean, var, y);
    }

    @Override
    public synchronized void batchNormBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        layers.batchNormBackward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dgamma, dbeta);
    }

    @Override
    public synchronized void batchNormEvalBackward(int n, int c, int spatial, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        layers.batchNormEvalBackward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dgamma, dbeta);
    }

    @Override
    public synchronized void updateRunningStats(Tensor runningMean, Tensor runningVar, Tensor mean, Tensor var, float momentum, long count) {
        layers.updateRunningStats(runningMean, runningVar, mean, var, momentum, count);
    }

    @Override
    public synchronized void batchNormPoolReluTrain(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Indices from, Tensor mean, Tensor var) {
        layers.batchNormPoolReluTrain(n, c, h, w, x, gamma, beta, eps, y, from, mean, var);
    }

    @Override
    public synchronized void batchNormPoolReluEval(int n, int c, int h, int w, Tensor x, Tensor gamma, Tensor beta, float eps, Tensor mean, Tensor var, Tensor y) {
        layers.batchNormPoolReluEval(n, c, h, w, x, gamma, beta, eps, mean, var, y);
    }

    @Override
    public synchronized void batchNormPoolReluBackward(int n, int c, int h, int w, Tensor x, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dgamma, Tensor dbeta) {
        layers.batchNormPoolReluBackward(n, c, h, w, x, gamma, eps, mean, var, y, from, dy, dx, dgamma, dbeta);
    }

    @Override
    public synchronized void convBlockBackward(ConvShape s, Tensor x, Tensor w, Tensor conv, Tensor gamma, float eps, Tensor mean, Tensor var, Tensor y, Indices from, Tensor dy, Tensor dx, Tensor dw, Tensor db, Tensor dgamma, Tensor dbeta) {
        layers.convBlockBackward(s, x, w, conv, gamma, eps, mean, var, y, from, dy, dx, dw, db, dgamma, dbeta);
    }

    @Override
    public synchronized void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Tensor y, Indices from) {
        layers.maxPoolForward(n, c, h, w, kernel, stride, x, y, from);
    }

    @Override
    public synchronized void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, Tensor x, Indices from, Tensor dy, Tensor dx) {
        layers.maxPoolBackward(n, c, h, w, kernel, stride, x, from, dy, dx);
    }

    @Override
    public synchronized void reluBackward(Tensor x, Tensor dy, Tensor dx) {
        pointwise.reluBackward(x, dy, dx);
    }

    @Override
    public synchronized void geluBackward(Tensor x, Tensor dy, Tensor dx) {
        pointwise.geluBackward(x, dy, dx);
    }

    @Override
    public synchronized void tanhForward(Tensor x, Tensor y) {
        pointwise.tanhForward(x, y);
    }

    @Override
    public synchronized void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
        pointwise.tanhBackward(y, dy, dx);
    }

    @Override
    public synchronized void gatedMixForward(Tensor z, Tensor a, Tensor b, Tensor gate, Tensor y) {
        pointwise.gatedMixForward(z, a, b, gate, y);
    }

    @Override
    public synchronized void gatedMixBackward(Tensor gate, Tensor a, Tensor b, Tensor dy, Tensor dz, Tensor da, Tensor db) {
        pointwise.gatedMixBackward(gate, a, b, dy, dz, da, db);
    }

    @Override
    public synchronized void timeMeanForward(int n, int t, int d, Tensor x, Tensor mask, Tensor y) {
        pointwise.timeMeanForward(n, t, d, x, mask, y);
    }

    @Override
    public synchronized void timeMeanBackward(int n, int t, int d, Tensor mask, Tensor dy, Tensor dx) {
        pointwise.timeMeanBackward(n, t, d, mask, dy, dx);
    }

    @Override
    public synchronized void layerMixForward(int n, int layers, int rest, Tensor x, double[] p, Tensor y) {
        pointwise.layerMixForward(n, layers, rest, x, p, y);
    }

    @Override
    public synchronized void layerMixBackward(int n, int layers, int rest, Tensor x, double[] p, Tensor dy, Tensor dx, double[] dp) {
        pointwise.layerMixBackward(n, layers, rest, x, p, dy, dx, dp);
    }

    @Override
    public synchronized float crossEntropyForward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing) {
        return pointwise.crossEntropyForward(n, c, logits, targets, weights, smoothing);
    }

    @Override
    public synchronized void crossEntropyBackward(int n, int c, Tensor logits, int[] targets, float[] weights, double smoothing, float upstream, Tensor dlogits) {
        pointwise.crossEntropyBackward(n, c, logits, targets, weights, smoothing, upstream, dlogits);
    }

    @Override
    public synchronized void adamStep(Tensor w, Tensor g, Tensor m, Tensor v, AdamStep step) {
        pointwise.adamStep(w, g, m, v, step);
    }

    @Override
    public synchronized void sgdStep(Tensor w, Tensor g, Tensor momentum, SgdStep step) {
        pointwise.sgdStep(w, g, momentum, step);
    }

    @Override
    public synchronized double sumOfSquares(Tensor g) {
        return pointwise.sumOfSquares(g);
    }
}
