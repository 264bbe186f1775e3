package ser.tensor;

/**
 * An {@link Ops} that hands every operation to another one: the base of a backend that adds operations of its own
 * (the training kernels of {@code ser.autograd.kernels.HostTrainingOps}) to a backend that exists.
 */
public abstract class ForwardingOps implements Ops {

    protected final Ops inner;

    protected ForwardingOps(Ops inner) {
        this.inner = java.util.Objects.requireNonNull(inner, "inner");
    }

    /** The backend every {@link Ops} operation goes to. */
    public final Ops inner() { return inner; }

    @Override public Tensor zeros(int... shape) { return inner.zeros(shape); }
    @Override public Workspace workspace() { return inner.workspace(); }
    @Override public Tensor upload(Tensor host) { return inner.upload(host); }
    @Override public Tensor download(Tensor t) { return inner.download(t); }
    @Override public void download(Tensor t, Tensor host) { inner.download(t, host); }
    @Override public void download(Tensor t, float[] host) { inner.download(t, host); }
    @Override public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) { inner.gemm(alpha, a, b, beta, c); }
    @Override public void matmul(Tensor a, Tensor b, Tensor c) { inner.matmul(a, b, c); }
    @Override public PackedMatrix prepack(Tensor b) { return inner.prepack(b); }
    @Override public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) { inner.gemm(alpha, a, b, beta, c); }
    @Override public void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        inner.linear(x, w, bias, beta, activation, out);
    }
    @Override public void linearOfDifference(Tensor x, Tensor y, PackedMatrix w, Tensor bias, float beta,
                                             Activation activation, Tensor out) {
        inner.linearOfDifference(x, y, w, bias, beta, activation, out);
    }
    @Override public void attention(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        inner.attention(q, k, v, keys, scale, out);
    }
    @Override public void multiHeadAttention(Tensor qkv, int[] keys, int heads, float scale, Parallel parallel, Tensor out) {
        inner.multiHeadAttention(qkv, keys, heads, scale, parallel, out);
    }
    @Override public void copy(Tensor a, Tensor out) { inner.copy(a, out); }
    @Override public void add(Tensor a, Tensor b, Tensor out) { inner.add(a, b, out); }
    @Override public void sub(Tensor a, Tensor b, Tensor out) { inner.sub(a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { inner.mul(a, b, out); }
    @Override public void scale(Tensor a, float s, Tensor out) { inner.scale(a, s, out); }
    @Override public void addScalar(Tensor a, float s, Tensor out) { inner.addScalar(a, s, out); }
    @Override public void relu(Tensor a, Tensor out) { inner.relu(a, out); }
    @Override public void gelu(Tensor a, Tensor out) { inner.gelu(a, out); }
    @Override public void exp(Tensor a, Tensor out) { inner.exp(a, out); }
    @Override public void log(Tensor a, Tensor out) { inner.log(a, out); }
    @Override public void sqrt(Tensor a, Tensor out) { inner.sqrt(a, out); }
    @Override public void sum(Tensor a, Tensor out) { inner.sum(a, out); }
    @Override public void max(Tensor a, Tensor out) { inner.max(a, out); }
    @Override public void mean(Tensor a, Tensor out) { inner.mean(a, out); }
    @Override public void argmax(Tensor a, int[] out) { inner.argmax(a, out); }
    @Override public float sumAll(Tensor a) { return inner.sumAll(a); }
    @Override public void softmax(Tensor a, Tensor out) { inner.softmax(a, out); }
    @Override public void logSoftmax(Tensor a, Tensor out) { inner.logSoftmax(a, out); }
    @Override public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        inner.layerNorm(x, gamma, beta, eps, out);
    }
    @Override public void maskRows(Tensor x, int[] lengths, Tensor out) { inner.maskRows(x, lengths, out); }
    @Override public void padRows(Tensor x, int before, Tensor out) { inner.padRows(x, before, out); }
    @Override public void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        inner.frameWindows(signal, kernel, stride, shift, out);
    }
}
