package ser.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A test backend: {@link SimdOps}'s arithmetic over memory of its own, off the heap. Registered as an {@link Ops}
 * provider in the test resources, so {@link Backends} finds it as it would find a device backend, and
 * {@code OpsParityTest} holds it to the reference with no line written for it: the proof that the registry picks
 * up a backend, and that model code which allocates through {@link Ops} runs on memory that is not a
 * {@code float[]} ({@code HubertBackendTest}).
 */
public final class OffHeapOps implements Ops {

    private final SimdOps simd = new SimdOps(Parallel.shared());

    @Override
    public Tensor zeros(int... shape) {
        return Tensor.zeros(Arena.ofAuto(), shape);
    }

    @Override
    public Workspace workspace() {
        ThreadLocal<Map<String, MemorySegment>> buffers = ThreadLocal.withInitial(HashMap::new);
        return (name, shape) -> {
            long bytes = Tensor.count(shape) * Float.BYTES;
            Map<String, MemorySegment> mine = buffers.get();
            MemorySegment b = mine.get(name);
            if (b == null || b.byteSize() < bytes) mine.put(name, b = Arena.ofAuto().allocate(Math.max(bytes, 1), 64));
            return Tensor.wrap(b, 0, shape);
        };
    }

    /** Host input is copied into this backend's memory, as a device backend would copy it. */
    @Override
    public Tensor upload(Tensor host) {
        Tensor copy = zeros(host.shape());
        copy.copyFrom(host);
        return copy;
    }

    @Override public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) { simd.gemm(alpha, a, b, beta, c); }
    @Override public PackedMatrix prepack(Tensor b) { return simd.prepack(b); }
    @Override public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) { simd.gemm(alpha, a, b, beta, c); }

    @Override
    public void linear(Tensor x, PackedMatrix w, Tensor bias, float beta, Activation activation, Tensor out) {
        simd.linear(x, w, bias, beta, activation, out);
    }

    @Override public void add(Tensor a, Tensor b, Tensor out) { simd.add(a, b, out); }
    @Override public void sub(Tensor a, Tensor b, Tensor out) { simd.sub(a, b, out); }
    @Override public void mul(Tensor a, Tensor b, Tensor out) { simd.mul(a, b, out); }
    @Override public void scale(Tensor a, float s, Tensor out) { simd.scale(a, s, out); }
    @Override public void addScalar(Tensor a, float s, Tensor out) { simd.addScalar(a, s, out); }
    @Override public void relu(Tensor a, Tensor out) { simd.relu(a, out); }
    @Override public void gelu(Tensor a, Tensor out) { simd.gelu(a, out); }
    @Override public void exp(Tensor a, Tensor out) { simd.exp(a, out); }
    @Override public void log(Tensor a, Tensor out) { simd.log(a, out); }
    @Override public void sqrt(Tensor a, Tensor out) { simd.sqrt(a, out); }
    @Override public void sum(Tensor a, Tensor out) { simd.sum(a, out); }
    @Override public void max(Tensor a, Tensor out) { simd.max(a, out); }
    @Override public void mean(Tensor a, Tensor out) { simd.mean(a, out); }
    @Override public void argmax(Tensor a, int[] out) { simd.argmax(a, out); }
    @Override public float sumAll(Tensor a) { return simd.sumAll(a); }
    @Override public void softmax(Tensor a, Tensor out) { simd.softmax(a, out); }
    @Override public void logSoftmax(Tensor a, Tensor out) { simd.logSoftmax(a, out); }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        simd.layerNorm(x, gamma, beta, eps, out);
    }

    @Override public void maskRows(Tensor x, int[] lengths, Tensor out) { simd.maskRows(x, lengths, out); }
    @Override public void padRows(Tensor x, int before, Tensor out) { simd.padRows(x, before, out); }

    @Override
    public void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        simd.frameWindows(signal, kernel, stride, shift, out);
    }
}
