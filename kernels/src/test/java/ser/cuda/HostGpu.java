package ser.cuda;

import ser.autograd.reference.Erf;
import ser.autograd.reference.GatedMixReference;
import ser.tensor.ScalarOps;
import ser.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * {@link Gpu} emulated on the host: "device" memory is native memory, and each kernel is its Java twin, written from
 * the {@code .cu} file's comment and indexing (one method a kernel, as in the .cu), so that {@link CudaOps} runs
 * whole, views, pool and uploads included, without a GPU. The twins are the kernels' references: on a GPU,
 * {@code OpsParityTest} holds the real kernels to the same {@code ScalarOps} results.
 *
 * <p>Every allocation is filled with NaN first, as fresh device memory holds anything: a kernel that reads what it
 * should not, or an op that leaves part of its output unwritten, shows.
 */
class HostGpu implements Gpu {

    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final Map<Long, Arena> blocks = new ConcurrentHashMap<>();
    final AtomicLong mallocs = new AtomicLong(), frees = new AtomicLong();

    @Override public String name() { return "emulated-cuda (host twins of the kernels)"; }

    @Override public long malloc(long bytes) {
        Arena arena = Arena.ofShared();
        MemorySegment s = arena.allocate(bytes, 256);
        for (long i = 0; i + 4 <= bytes; i += 4) s.set(JAVA_INT_UNALIGNED, i, 0x7fc00000);
        blocks.put(s.address(), arena);
        mallocs.incrementAndGet();
        return s.address();
    }

    @Override public void free(long pointer) {
        Arena a = blocks.remove(pointer);
        if (a == null) throw new IllegalStateException("free of " + pointer + ", not allocated");
        a.close();
        frees.incrementAndGet();
    }

    @Override public void upload(long dst, MemorySegment src, long bytes) {
        MemorySegment.copy(src, 0, ALL, dst, bytes);
    }

    @Override public void download(MemorySegment dst, long src, long bytes) {
        MemorySegment.copy(ALL, src, dst, 0, bytes);
    }

    @Override public void fill32(long dst, int bits, long count) {
        for (long i = 0; i < count; i++) ALL.set(JAVA_INT_UNALIGNED, dst + 4 * i, bits);
    }

    private static float f(long pointer, long index) {
        return ALL.get(JAVA_FLOAT_UNALIGNED, pointer + 4 * index);
    }

    private static void put(long pointer, long index, float v) {
        ALL.set(JAVA_FLOAT_UNALIGNED, pointer + 4 * index, v);
    }

    // ---- strided_map.cu ---------------------------------------------------------------------------------------------

    @Override public void stridedMap(StridedMap m, long x, long y, long out) {
        if (m.op() == StridedMap.GELU || m.op() == StridedMap.ADD_GELU) {  // the engine's exact GELU, the launch at once
            float[] in = new float[Math.toIntExact(m.count())];
            boolean add = m.op() == StridedMap.ADD_GELU;
            walk(m, (i, ox, oy, oo) -> in[(int) i] = add ? f(x, ox) + f(y, oy) : f(x, ox));
            float[] g = new float[in.length];
            new ScalarOps().gelu(Tensor.wrap(in, in.length), Tensor.wrap(g, g.length));
            walk(m, (i, ox, oy, oo) -> put(out, oo, g[(int) i]));
            return;
        }
        walk(m, (i, ox, oy, oo) -> put(out, oo, apply(m.op(), f(x, ox), StridedMap.binary(m.op()) ? f(y, oy) : 0f, m.scalar())));
    }

    private interface Element { void at(long i, long ox, long oy, long oo); }

    /** Each element of the launch with its offsets in x, y and out, as a thread of strided_map finds them. */
    private static void walk(StridedMap m, Element e) {
        for (long i = 0, n = m.count(); i < n; i++) {
            long rest = i, ox = 0, oy = 0, oo = 0;
            for (int a = m.rank() - 1; a >= 0; a--) {
                long idx = rest % m.shape()[a];
                rest /= m.shape()[a];
                ox += idx * m.x()[a];
                oy += idx * m.y()[a];
                oo += idx * m.out()[a];
            }
            e.at(i, ox, oy, oo);
        }
    }

    private static float apply(int op, float a, float b, float s) {
        return switch (op) {
            case StridedMap.ADD -> a + b;
            case StridedMap.SUB -> a - b;
            case StridedMap.MUL -> a * b;
            case StridedMap.SCALE -> s * a;
            case StridedMap.ADD_SCALAR -> a + s;
            case StridedMap.RELU -> Math.max(a, 0f);
            case StridedMap.EXP -> (float) Math.exp(a);
            case StridedMap.LOG -> (float) Math.log(a);
            case StridedMap.SQRT -> (float) Math.sqrt(a);
            default -> a;
        };
    }

    // ---- row_ops.cu -----------------------------------------------------------------------------------------------

    @Override public void rowReduce(int op, long x, long out, long rows, int cols) {
        for (long r = 0; r < rows; r++) {
            long base = r * cols;
            float v;
            if (op == CudaOps.ROW_MAX) {
                v = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) v = nanMax(v, f(x, base + j));
            } else {
                float s = 0f;
                for (int j = 0; j < cols; j++) s += f(x, base + j);
                v = op == CudaOps.ROW_MEAN ? s / cols : s;
            }
            put(out, r, v);
        }
    }

    private static float nanMax(float a, float b) {
        return Float.isNaN(a) || Float.isNaN(b) ? Float.NaN : Math.max(a, b);
    }

    @Override public void rowSoftmax(long x, long out, long rows, int cols, boolean log) {
        for (long r = 0; r < rows; r++) {
            long base = r * cols;
            float m = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) m = nanMax(m, f(x, base + j));
            float s = 0f;
            for (int j = 0; j < cols; j++) s += (float) Math.exp(f(x, base + j) - m);
            float l = (float) Math.log(s), inv = 1f / s;
            for (int j = 0; j < cols; j++) {
                float v = f(x, base + j);
                put(out, base + j, log ? v - m - l : (float) Math.exp(v - m) * inv);
            }
        }
    }

    @Override public void rowArgmax(long x, long outInts, long rows, int cols) {
        for (long r = 0; r < rows; r++) {
            long base = r * cols;
            int at = -1;
            float best = 0f;
            for (int j = 0; j < cols; j++) {
                float v = f(x, base + j);
                boolean before;
                if (at < 0) before = true;
                else if (Float.isNaN(v) != Float.isNaN(best)) before = Float.isNaN(v);
                else if (!Float.isNaN(v) && v != best) before = v > best;
                else before = false;  // a later index never wins a tie
                if (before) { best = v; at = j; }
            }
            ALL.set(JAVA_INT_UNALIGNED, outInts + 4 * r, at);
        }
    }

    @Override public void rowLayerNorm(long x, long gamma, long beta, long out, long rows, int cols, float eps) {
        for (long r = 0; r < rows; r++) {
            long base = r * cols;
            float s = 0f;
            for (int j = 0; j < cols; j++) s += f(x, base + j);
            float mean = s / cols, q = 0f;
            for (int j = 0; j < cols; j++) { float d = f(x, base + j) - mean; q += d * d; }
            float inv = (float) (1 / Math.sqrt(q / cols + eps));
            for (int j = 0; j < cols; j++) {
                float v = (f(x, base + j) - mean) * inv;
                if (gamma != 0) v *= f(gamma, j);
                if (beta != 0) v += f(beta, j);
                put(out, base + j, v);
            }
        }
    }

    // ---- sequence_ops.cu ------------------------------------------------------------------------------------------

    @Override public void maskRows(long x, long out, long lengths, int batch, int t, long width) {
        long n = (long) batch * t * width;
        for (long i = 0; i < n; i++) {
            long row = i / width;
            int b = (int) (row / t), r = (int) (row % t);
            put(out, i, r < ALL.get(JAVA_INT_UNALIGNED, lengths + 4L * b) ? f(x, i) : 0f);
        }
    }

    @Override public void frameWindows(long signal, long out, int frames, int kernel, int stride, float shift, int width) {
        for (long i = 0, n = (long) frames * width; i < n; i++) {
            int fr = (int) (i / width), j = (int) (i % width);
            put(out, i, j < kernel ? f(signal, (long) fr * stride + j) - shift : 1f);
        }
    }

    // ---- elementwise.cu -------------------------------------------------------------------------------------------

    @Override public void toBf16(long x, long y, long n) {
        for (long i = 0; i < n; i++) ALL.set(JAVA_SHORT_UNALIGNED, y + 2 * i, bf16(f(x, i)));
    }

    /** Round to nearest even, as __float2bfloat16_rn; NaN stays NaN. */
    static short bf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return (short) ((bits >>> 16) | 0x40);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    // ---- cuBLAS ---------------------------------------------------------------------------------------------------

    @Override public void gemm(Cublas.Precision precision, boolean transA, boolean transB, int m, int n, int k, float alpha,
                               long a, int lda, long strideA, long b, int ldb, long strideB, float beta, long c, int ldc,
                               long strideC, int batch) {
        int in = precision == Cublas.Precision.BF16 ? 2 : 4;
        for (int i = 0; i < batch; i++) {
            gemm(precision, transA, transB, m, n, k, alpha, a + i * strideA * in, lda, b + i * strideB * in, ldb, beta,
                    c + i * strideC * 4, ldc);
        }
    }

    private static void gemm(Cublas.Precision precision, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    float av = read(precision, a, transA ? (long) p * lda + i : (long) i * lda + p);
                    float bv = read(precision, b, transB ? (long) j * ldb + p : (long) p * ldb + j);
                    s += av * bv;
                }
                long at = (long) i * ldc + j;
                put(c, at, beta == 0f ? alpha * s : alpha * s + beta * f(c, at));
            }
        }
    }

    private static float read(Cublas.Precision precision, long base, long index) {
        return switch (precision) {
            case FP32 -> f(base, index);
            case TF32 -> tf32(f(base, index));
            case BF16 -> Float.intBitsToFloat((ALL.get(JAVA_SHORT_UNALIGNED, base + 2 * index) & 0xffff) << 16);
        };
    }

    /** A float rounded to TF32's 10-bit mantissa (nearest, ties away), as the tensor cores read their inputs. */
    static float tf32(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) return v;
        return Float.intBitsToFloat((Float.floatToRawIntBits(v) + 0x1000) & 0xffffe000);
    }

    // ---- training: pointwise, loss, optimisers (training_pointwise.cu, loss.cu, optim.cu) -----------------------------

    private static double d(long pointer, long index) {
        return ALL.get(JAVA_DOUBLE_UNALIGNED, pointer + 8 * index);
    }

    private static void putDouble(long pointer, long index, double v) {
        ALL.set(JAVA_DOUBLE_UNALIGNED, pointer + 8 * index, v);
    }

    @Override public void activationGrad(int op, long x, long dy, long out, long n) {
        for (long i = 0; i < n; i++) {
            float v = f(x, i), g = op == TANH ? 0f : f(dy, i);
            put(out, i, switch (op) {
                case RELU_BACKWARD -> v > 0 ? g : 0f;
                case GELU_BACKWARD -> {
                    double cdf = 0.5 * (1 + Erf.erf(v * 0.70710678118654752440));
                    double pdf = 0.39894228040143267794 * Math.exp(-0.5 * v * v);
                    yield (float) (g * (cdf + v * pdf));
                }
                case TANH -> (float) Math.tanh(v);
                case TANH_BACKWARD -> g * (1 - v * v);
                default -> v;
            });
        }
    }

    @Override public void gatedMixForward(long z, long a, long b, long gate, long y, long n) {
        for (long i = 0; i < n; i++) {
            float g = (float) GatedMixReference.sigmoid(f(z, i)), av = f(a, i), bv = f(b, i);
            if (gate != 0) put(gate, i, g);
            put(y, i, g * av + (1 - g) * bv);
        }
    }

    @Override public void gatedMixBackward(long gate, long a, long b, long dy, long dz, long da, long db, long n) {
        for (long i = 0; i < n; i++) {
            float g = f(gate, i), gv = f(dy, i), av = f(a, i), bv = f(b, i);
            if (dz != 0) put(dz, i, gv * (av - bv) * g * (1 - g));
            if (da != 0) put(da, i, g * gv);
            if (db != 0) put(db, i, (1 - g) * gv);
        }
    }

    @Override public void timeFrames(long mask, long frames, int n, int t) {
        for (int i = 0; i < n; i++) {
            double fr = 0;
            for (int s = 0; s < t; s++) fr += f(mask, (long) i * t + s);
            putDouble(frames, i, fr);
        }
    }

    @Override public void timeMeanForward(long x, long mask, long frames, long y, int n, int t, int d) {
        for (long e = 0; e < (long) n * d; e++) {
            int i = (int) (e / d), k = (int) (e % d);
            double fr = frames != 0 ? d(frames, i) : t, sum = 0;
            for (int s = 0; s < t; s++) {
                double m = mask != 0 ? f(mask, (long) i * t + s) : 1;
                sum += m * f(x, ((long) i * t + s) * d + k) / fr;
            }
            put(y, e, (float) sum);
        }
    }

    @Override public void timeMeanBackward(long mask, long frames, long dy, long dx, int n, int t, int d) {
        for (long e = 0; e < (long) n * t * d; e++) {
            long row = e / d;
            int i = (int) (row / t), k = (int) (e % d);
            double fr = frames != 0 ? d(frames, i) : t;
            double m = mask != 0 ? f(mask, row) : 1;
            put(dx, e, (float) (m * f(dy, (long) i * d + k) / fr));
        }
    }

    @Override public void layerMixForward(long x, long p, long y, int n, int layers, int rest) {
        for (long e = 0; e < (long) n * rest; e++) {
            long i = e / rest, r = e % rest;
            float acc = 0f;
            for (int l = 0; l < layers; l++) acc += f(p, l) * f(x, (i * layers + l) * rest + r);
            put(y, e, acc);
        }
    }

    @Override public void layerMixBackwardDx(long p, long dy, long dx, int n, int layers, int rest) {
        for (long e = 0; e < (long) n * layers * rest; e++) {
            long row = e / rest, r = e % rest;
            put(dx, e, f(p, row % layers) * f(dy, row / layers * rest + r));
        }
    }

    @Override public void layerMixBackwardDp(long x, long dy, long dots, int n, int layers, int rest) {
        for (long row = 0; row < (long) n * layers; row++) {
            long i = row / layers;
            double s = 0;
            for (int r = 0; r < rest; r++) s += (double) f(dy, i * rest + r) * f(x, row * rest + r);
            putDouble(dots, row, s);
        }
    }

    private static double ceWeight(long weights, int j) {
        return weights != 0 ? f(weights, j) : 1;
    }

    private static double ceLogSum(long logits, long row, int c) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) m = Math.max(m, f(logits, row * c + j));
        double s = 0;
        for (int j = 0; j < c; j++) s += Math.exp(f(logits, row * c + j) - m);
        return m + Math.log(s);
    }

    @Override public void crossEntropyForward(long logits, long targets, long weights, long rows, int n, int c,
                                              double smoothing) {
        for (int i = 0; i < n; i++) {
            double ls = ceLogSum(logits, i, c), smooth = 0;
            for (int j = 0; j < c; j++) smooth -= ceWeight(weights, j) * (f(logits, (long) i * c + j) - ls);
            int y = ALL.get(JAVA_INT_UNALIGNED, targets + 4L * i);
            double hard = (1 - smoothing) * ceWeight(weights, y) * -(f(logits, (long) i * c + y) - ls);
            putDouble(rows, i, hard + smoothing / c * smooth);
        }
    }

    @Override public void crossEntropyBackward(long logits, long targets, long weights, long dlogits, int n, int c,
                                               double smoothing, double norm, double weightSum, float upstream) {
        for (int i = 0; i < n; i++) {
            double ls = ceLogSum(logits, i, c);
            int y = ALL.get(JAVA_INT_UNALIGNED, targets + 4L * i);
            double wy = ceWeight(weights, y);
            for (int j = 0; j < c; j++) {
                long at = (long) i * c + j;
                double p = Math.exp(f(logits, at) - ls);
                double hard = wy * (p - (j == y ? 1 : 0));
                double smooth = p * weightSum - ceWeight(weights, j);
                double grad = ((1 - smoothing) * hard + smoothing / c * smooth) / norm;
                put(dlogits, at, (float) (upstream * grad));
            }
        }
    }

    @Override public void adamStep(long w, long g, long m, long v, long n, float beta1, float beta2, float eps,
                                   float weightDecay, boolean decoupled, float stepSize, float decay,
                                   double correction2Root) {
        for (long i = 0; i < n; i++) {
            float wi = f(w, i), grad = f(g, i);
            if (decoupled) wi *= decay;
            else if (weightDecay != 0) grad += weightDecay * wi;
            float mi = f(m, i) * beta1 + (1 - beta1) * grad;
            float vi = f(v, i) * beta2 + (1 - beta2) * grad * grad;
            float denom = (float) (Math.sqrt(vi) / correction2Root) + eps;
            put(m, i, mi);
            put(v, i, vi);
            put(w, i, wi - stepSize * mi / denom);
        }
    }

    @Override public void sgdStep(long w, long g, long buf, long n, float lr, float momentum, float dampening,
                                  float weightDecay, boolean nesterov, boolean first) {
        for (long i = 0; i < n; i++) {
            float wi = f(w, i), d = f(g, i);
            if (weightDecay != 0) d += weightDecay * wi;
            if (momentum != 0) {
                float b = first ? d : f(buf, i) * momentum + (1 - dampening) * d;
                put(buf, i, b);
                d = nesterov ? d + momentum * b : b;
            }
            put(w, i, wi - lr * d);
        }
    }

    /** Each block's grid-stride elements, as the kernel's threads of that block take them (the order within aside). */
    @Override public void sumOfSquares(long g, long partials, long n, int blocks) {
        long stride = (long) blocks * LaunchConfig.ELEMENTWISE_BLOCK;
        for (int b = 0; b < blocks; b++) {
            double s = 0;
            for (long start = (long) b * LaunchConfig.ELEMENTWISE_BLOCK; start < n; start += stride) {
                for (long i = start; i < Math.min(start + LaunchConfig.ELEMENTWISE_BLOCK, n); i++) {
                    double v = f(g, i);
                    s += v * v;
                }
            }
            putDouble(partials, b, s);
        }
    }

    // ---- training: layers ----

    private static int intAt(long pointer, long index) {
        return ALL.get(JAVA_INT_UNALIGNED, pointer + 4 * index);
    }

    private static void putInt(long pointer, long index, int v) {
        ALL.set(JAVA_INT_UNALIGNED, pointer + 4 * index, v);
    }

    // conv.cu

    @Override public void im2col(long x, long col, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad,
                                 int oh, int ow) {
        long l = (long) oh * ow, cols = batch * l, n = (long) cin * kh * kw * cols;
        for (long i = 0; i < n; i++) {
            long r = i / cols, q = i % cols;
            int b = (int) (q / l), p = (int) (q % l);
            int oy = p / ow, ox = p % ow;
            int j = (int) (r % kw), t = (int) (r / kw), ki = t % kh, ci = t / kh;
            int iy = oy * stride - pad + ki, ix = ox * stride - pad + j;
            put(col, i, iy >= 0 && iy < h && ix >= 0 && ix < w ? f(x, (((long) b * cin + ci) * h + iy) * w + ix) : 0f);
        }
    }

    @Override public void col2im(long col, long dx, int batch, int cin, int h, int w, int kh, int kw, int stride, int pad,
                                 int oh, int ow) {
        long l = (long) oh * ow, cols = batch * l, n = (long) batch * cin * h * w;
        for (long i = 0; i < n; i++) {
            int ix = (int) (i % w);
            long t = i / w;
            int iy = (int) (t % h);
            t /= h;
            int ci = (int) (t % cin), b = (int) (t / cin);
            float s = 0f;
            for (int ki = 0; ki < kh; ki++) {
                int ty = iy + pad - ki;
                if (ty < 0 || ty % stride != 0 || ty / stride >= oh) continue;
                int oy = ty / stride;
                for (int j = 0; j < kw; j++) {
                    int tx = ix + pad - j;
                    if (tx < 0 || tx % stride != 0 || tx / stride >= ow) continue;
                    int ox = tx / stride;
                    s += f(col, ((long) (ci * kh + ki) * kw + j) * cols + b * l + (long) oy * ow + ox);
                }
            }
            put(dx, i, s);
        }
    }

    // batch_norm.cu: each slice summed in order (the kernel's block sums round in another order)

    private static long channelAt(long k, int ch, int c, int spatial) {
        return ((k / spatial) * c + ch) * spatial + k % spatial;
    }

    private static float inv(long var, int ch, float eps) {
        return 1f / (float) Math.sqrt(f(var, ch) + eps);
    }

    /** The part [begin, end) of {@code count} values that slice {@code s} of {@code slices} reduces. */
    private static long[] sliceBounds(long count, int s, int slices) {
        long per = (count + slices - 1) / slices, begin = Math.min(count, s * per);
        return new long[] {begin, Math.min(count, begin + per)};
    }

    @Override public void channelSum(long x, long partial, int n, int c, int spatial, int slices) {
        for (int ch = 0; ch < c; ch++) {
            for (int sl = 0; sl < slices; sl++) {
                long[] b = sliceBounds((long) n * spatial, sl, slices);
                float s = 0f;
                for (long k = b[0]; k < b[1]; k++) s += f(x, channelAt(k, ch, c, spatial));
                put(partial, (long) ch * slices + sl, s);
            }
        }
    }

    @Override public void sumSlices(long partial, int pairs, long out0, long out1, int c, int slices) {
        for (int ch = 0; ch < c; ch++) {
            float a = 0f, b = 0f;
            for (int s = 0; s < slices; s++) {
                long p = ((long) ch * slices + s) * pairs;
                a += f(partial, p);
                if (pairs == 2) b += f(partial, p + 1);
            }
            put(out0, ch, a);
            if (pairs == 2) put(out1, ch, b);
        }
    }

    @Override public void batchNormStats(long x, long partial, int n, int c, int spatial, int slices) {
        for (int ch = 0; ch < c; ch++) {
            for (int sl = 0; sl < slices; sl++) {
                long[] b = sliceBounds((long) n * spatial, sl, slices);
                float s = 0f;
                for (long k = b[0]; k < b[1]; k++) s += f(x, channelAt(k, ch, c, spatial));
                float m = s / (float) (b[1] - b[0]), q = 0f;
                for (long k = b[0]; k < b[1]; k++) {
                    float d = f(x, channelAt(k, ch, c, spatial)) - m;
                    q += d * d;
                }
                put(partial, ((long) ch * slices + sl) * 2, m);
                put(partial, ((long) ch * slices + sl) * 2 + 1, q);
            }
        }
    }

    @Override public void batchNormStatsMerge(long partial, long mean, long var, int c, int slices, long count) {
        for (int ch = 0; ch < c; ch++) {
            float na = 0f, ma = 0f, qa = 0f;
            for (int s = 0; s < slices; s++) {
                long[] b = sliceBounds(count, s, slices);
                if (b[1] == b[0]) continue;
                float nb = (float) (b[1] - b[0]), n = na + nb;
                long p = ((long) ch * slices + s) * 2;
                float d = f(partial, p) - ma;
                ma += d * (nb / n);
                qa += f(partial, p + 1) + d * d * (na * nb / n);
                na = n;
            }
            put(mean, ch, count > 0 ? ma : Float.NaN);
            put(var, ch, qa / (float) count);
        }
    }

    @Override public void batchNormApply(long x, long gamma, long beta, long mean, long var, long y, int n, int c, int spatial,
                                         float eps) {
        for (long i = 0, total = (long) n * c * spatial; i < total; i++) {
            int ch = (int) ((i / spatial) % c);
            float v = (f(x, i) - f(mean, ch)) * inv(var, ch, eps);
            if (gamma != 0) v *= f(gamma, ch);
            if (beta != 0) v += f(beta, ch);
            put(y, i, v);
        }
    }

    @Override public void batchNormBackwardSums(long x, long dy, long mean, long var, long partial, int n, int c, int spatial,
                                                float eps, int slices) {
        for (int ch = 0; ch < c; ch++) {
            float m = f(mean, ch), inv = inv(var, ch, eps);
            for (int sl = 0; sl < slices; sl++) {
                long[] b = sliceBounds((long) n * spatial, sl, slices);
                float sg = 0f, sgx = 0f;
                for (long k = b[0]; k < b[1]; k++) {
                    long at = channelAt(k, ch, c, spatial);
                    float g = f(dy, at);
                    sg += g;
                    sgx += g * (f(x, at) - m) * inv;
                }
                put(partial, ((long) ch * slices + sl) * 2, sgx);
                put(partial, ((long) ch * slices + sl) * 2 + 1, sg);
            }
        }
    }

    @Override public void batchNormBackwardDx(long x, long dy, long gamma, long mean, long var, long sumDyXhat, long sumDy,
                                              long dx, int n, int c, int spatial, float eps) {
        float count = (float) ((long) n * spatial);
        for (long i = 0, total = (long) n * c * spatial; i < total; i++) {
            int ch = (int) ((i / spatial) % c);
            float inv = inv(var, ch, eps), g = gamma != 0 ? f(gamma, ch) : 1f;
            if (sumDy != 0) {
                float xhat = (f(x, i) - f(mean, ch)) * inv;
                put(dx, i, g * inv * (f(dy, i) - f(sumDy, ch) / count - xhat * f(sumDyXhat, ch) / count));
            } else {
                put(dx, i, f(dy, i) * g * inv);
            }
        }
    }

    @Override public void batchNormRunningUpdate(long runningMean, long runningVar, long mean, long var, int c, float momentum,
                                                 float count, float countLessOne) {
        for (int ch = 0; ch < c; ch++) {
            put(runningMean, ch, (1f - momentum) * f(runningMean, ch) + momentum * f(mean, ch));
            put(runningVar, ch, (1f - momentum) * f(runningVar, ch) + momentum * f(var, ch) * count / countLessOne);
        }
    }

    // pooling.cu

    private static boolean poolTakes(float v, float best, long at) {
        return at < 0 || v > best || Float.isNaN(v);
    }

    @Override public void maxPoolForward(long x, long y, long fromInts, long planes, int h, int w, int oh, int ow, int kernel,
                                         int stride) {
        for (long o = 0, total = planes * oh * ow; o < total; o++) {
            int ox = (int) (o % ow);
            long t = o / ow;
            int oy = (int) (t % oh);
            long plane = t / oh, at = -1;
            float best = 0f;
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    long k = (plane * h + (long) oy * stride + i) * w + (long) ox * stride + j;
                    float v = f(x, k);
                    if (poolTakes(v, best, at)) { best = v; at = k; }
                }
            }
            put(y, o, best);
            putInt(fromInts, o, (int) at);
        }
    }

    @Override public void maxPoolBackward(long fromInts, long dy, long gate, long dx, long planes, int h, int w, int oh, int ow,
                                          int kernel, int stride) {
        for (long i = 0, total = planes * h * w; i < total; i++) {
            int ix = (int) (i % w);
            long t = i / w;
            int iy = (int) (t % h);
            long plane = t / h;
            int y0 = iy < kernel ? 0 : (iy - kernel + stride) / stride, y1 = Math.min(iy / stride, oh - 1);
            int x0 = ix < kernel ? 0 : (ix - kernel + stride) / stride, x1 = Math.min(ix / stride, ow - 1);
            float s = 0f;
            for (int oy = y0; oy <= y1; oy++) {
                for (int ox = x0; ox <= x1; ox++) {
                    long o = (plane * oh + oy) * ow + ox;
                    if (intAt(fromInts, o) == i && (gate == 0 || f(gate, o) > 0f)) s += f(dy, o);
                }
            }
            put(dx, i, s);
        }
    }

    @Override public void batchNormPoolRelu(long x, long gamma, long beta, long mean, long var, long y, long fromInts, int n,
                                            int c, int h, int w, float eps) {
        int oh = h / 2, ow = w / 2;
        for (long o = 0, total = (long) n * c * oh * ow; o < total; o++) {
            int ox = (int) (o % ow);
            long t = o / ow;
            int oy = (int) (t % oh);
            long plane = t / oh;
            int ch = (int) (plane % c);
            float m = f(mean, ch), inv = inv(var, ch, eps);
            long at = -1;
            float best = 0f;
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    long k = (plane * h + 2L * oy + i) * w + 2L * ox + j;
                    float v = (f(x, k) - m) * inv;
                    if (gamma != 0) v *= f(gamma, ch);
                    if (beta != 0) v += f(beta, ch);
                    if (poolTakes(v, best, at)) { best = v; at = k; }
                }
            }
            put(y, o, best > 0f || Float.isNaN(best) ? best : 0f);
            if (fromInts != 0) putInt(fromInts, o, (int) at);
        }
    }
}
