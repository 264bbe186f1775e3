package ser.bench;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * An {@link Ops} that times every call of another and books it under a label of the caller's choosing (a model
 * stage), with the GEMM's flops. Calls made on pool threads (attention heads) are booked apart from those of the
 * thread that runs the model, whose calls each take their own wall time.
 */
final class TimedOps implements Ops {

    /** What one label has cost since the last {@link #reset}. */
    static final class Totals {
        final LongAdder callerNanos = new LongAdder(), poolNanos = new LongAdder(), flops = new LongAdder(), calls = new LongAdder();
    }

    private final Ops inner;
    private final BiFunction<String, int[], String> label;
    private final LongSupplier clock;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();
    private volatile Thread caller;

    /**
     * {@code label.apply(op, dims)} names the stage of a call: dims are {m, k, n} for GEMM, else the output's
     * shape. {@code clock} reads nanoseconds: {@code System::nanoTime}, or the thread's CPU time, which a
     * single-threaded run on a shared machine wants.
     */
    TimedOps(Ops inner, BiFunction<String, int[], String> label, LongSupplier clock) {
        this.inner = inner;
        this.label = label;
        this.clock = clock;
    }

    /** Forgets what was booked; calls from {@code caller} count as the model's own thread. */
    void reset(Thread caller) {
        this.caller = caller;
        totals.clear();
    }

    Map<String, Totals> totals() { return new TreeMap<>(totals); }

    private void book(String op, int[] dims, long flops, long start) {
        long nanos = clock.getAsLong() - start;
        Totals t = totals.computeIfAbsent(label.apply(op, dims), l -> new Totals());
        (Thread.currentThread() == caller ? t.callerNanos : t.poolNanos).add(nanos);
        t.flops.add(flops);
        t.calls.increment();
    }

    private void timed(String op, Tensor shapeOf, Runnable call) {
        long start = clock.getAsLong();
        call.run();
        book(op, shapeOf.shape(), 0, start);
    }

    @Override
    public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        long start = clock.getAsLong();
        inner.gemm(alpha, a, b, beta, c);
        book("gemm", new int[] {a.dim(0), a.dim(1), b.dim(1)}, 2L * a.dim(0) * a.dim(1) * b.dim(1), start);
    }

    @Override
    public PackedMatrix prepack(Tensor b) { return inner.prepack(b); }

    /** Booked as a GEMM of its shape: the bias and activation it fuses are a small part of its time. */
    @Override
    public void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        long start = clock.getAsLong();
        inner.linear(x, w, bias, beta, activation, out);
        book("gemm", new int[] {x.dim(0), x.dim(1), w.cols()}, 2L * x.dim(0) * x.dim(1) * w.cols(), start);
    }

    @Override
    public void linearOfDifference(Tensor x, Tensor y, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        long start = clock.getAsLong();
        inner.linearOfDifference(x, y, w, bias, beta, activation, out);
        book("gemm", new int[] {x.dim(0), x.dim(1), w.cols()}, 2L * x.dim(0) * x.dim(1) * w.cols(), start);
    }

    @Override
    public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        long start = clock.getAsLong();
        inner.gemm(alpha, a, b, beta, c);
        book("gemm", new int[] {a.dim(0), a.dim(1), b.cols()}, 2L * a.dim(0) * a.dim(1) * b.cols(), start);
    }

    @Override
    public void attention(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        long start = clock.getAsLong();
        inner.attention(q, k, v, keys, scale, out);
        book("attention", out.shape(), 2L * q.dim(0) * keys * (q.dim(1) + v.dim(1)), start);
    }

    @Override public void add(Tensor a, Tensor b, Tensor out) { timed("add", out, () -> inner.add(a, b, out)); }
    @Override public void sub(Tensor a, Tensor b, Tensor out) { timed("sub", out, () -> inner.sub(a, b, out)); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { timed("mul", out, () -> inner.mul(a, b, out)); }
    @Override public void scale(Tensor a, float s, Tensor out) { timed("scale", out, () -> inner.scale(a, s, out)); }
    @Override public void addScalar(Tensor a, float s, Tensor out) { timed("addScalar", out, () -> inner.addScalar(a, s, out)); }
    @Override public void relu(Tensor a, Tensor out) { timed("relu", out, () -> inner.relu(a, out)); }
    @Override public void gelu(Tensor a, Tensor out) { timed("gelu", out, () -> inner.gelu(a, out)); }
    @Override public void exp(Tensor a, Tensor out) { timed("exp", out, () -> inner.exp(a, out)); }
    @Override public void log(Tensor a, Tensor out) { timed("log", out, () -> inner.log(a, out)); }
    @Override public void sqrt(Tensor a, Tensor out) { timed("sqrt", out, () -> inner.sqrt(a, out)); }
    @Override public void sum(Tensor a, Tensor out) { timed("sum", a, () -> inner.sum(a, out)); }
    @Override public void max(Tensor a, Tensor out) { timed("max", a, () -> inner.max(a, out)); }
    @Override public void mean(Tensor a, Tensor out) { timed("mean", a, () -> inner.mean(a, out)); }
    @Override public void argmax(Tensor a, int[] out) { timed("argmax", a, () -> inner.argmax(a, out)); }
    @Override public void softmax(Tensor a, Tensor out) { timed("softmax", out, () -> inner.softmax(a, out)); }
    @Override public void logSoftmax(Tensor a, Tensor out) { timed("logSoftmax", out, () -> inner.logSoftmax(a, out)); }

    @Override
    public float sumAll(Tensor a) {
        long start = clock.getAsLong();
        float s = inner.sumAll(a);
        book("sumAll", a.shape(), 0, start);
        return s;
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        timed("layerNorm", out, () -> inner.layerNorm(x, gamma, beta, eps, out));
    }

    @Override public void maskRows(Tensor x, int[] lengths, Tensor out) { timed("maskRows", out, () -> inner.maskRows(x, lengths, out)); }
    @Override public void padRows(Tensor x, int before, Tensor out) { timed("padRows", out, () -> inner.padRows(x, before, out)); }

    @Override
    public void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        timed("frameWindows", out, () -> inner.frameWindows(signal, kernel, stride, shift, out));
    }

    // Memory is the inner backend's: not timed, only passed on.
    @Override public Tensor zeros(int... shape) { return inner.zeros(shape); }
    @Override public Workspace workspace() { return inner.workspace(); }
    @Override public Tensor upload(Tensor host) { return inner.upload(host); }
    @Override public Tensor download(Tensor t) { return inner.download(t); }
    @Override public void download(Tensor t, Tensor host) { inner.download(t, host); }
    @Override public void download(Tensor t, float[] host) { inner.download(t, host); }
}
