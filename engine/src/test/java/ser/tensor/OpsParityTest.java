package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Ops} method, on every backend present ({@link Backends#all}: the CPU backends, and any device
 * backend found at run time, absent otherwise), against {@link ScalarOps}, the reference, as a model calls them:
 * operands {@linkplain Ops#upload uploaded} from the host, outputs {@linkplain Ops#zeros allocated} and
 * {@linkplain Ops#workspace() taken} from the backend, results {@linkplain Ops#download downloaded}. So a new
 * backend is held to the reference by this one test, with no line of it to write.
 *
 * <p>Tolerances as in {@link BackendParityTest}, which also runs {@link SimdOps} over every host memory layout:
 * exact for what rounds once per element, a few ulps for transcendental functions, a bound proportional to the
 * sum of magnitudes for sums.
 */
class OpsParityTest {

    private static final Parallel POOL = new Parallel(2);
    private static final ScalarOps REF = new ScalarOps();
    private static final int[][] SHAPES = {{1}, {7}, {3, 17}, {2, 5, 33}, {4, 1023}};

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    static List<Backends.Backend> backends() {
        return Backends.fast(POOL);
    }

    @Test
    void theRegistryListsTheReferenceFirstAndTheCpuBackends() {
        List<Backends.Backend> all = Backends.all(POOL);
        assertInstanceOf(ScalarOps.class, all.get(0).ops());
        assertTrue(all.stream().anyMatch(b -> b.ops() instanceof SimdOps), all.toString());
        assertTrue(all.stream().anyMatch(b -> b.ops() instanceof OffHeapOps), "the test provider is found: " + all);
        assertEquals(all.size() - 1, backends().size());
    }

    // ---- memory -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void allocationUploadAndDownloadRoundTrip(Backends.Backend backend) {
        Ops ops = backend.ops();
        Tensor z = ops.zeros(3, 5);
        if (ops instanceof OffHeapOps) assertEquals(Storage.OFF_HEAP, z.storage());
        assertArrayEquals(new int[] {3, 5}, z.shape());
        assertTrue(z.isContiguous());
        assertArrayEquals(new float[15], host(ops, z), "zeros are zero");

        float[] x = random(15, 1);
        Tensor up = ops.upload(Tensor.wrap(x, 3, 5));
        assertArrayEquals(x, host(ops, up));
        Tensor into = Tensor.zeros(3, 5);
        ops.download(up, into);
        assertArrayEquals(x, into.toArray());
        Tensor strided = Tensor.zeros(5, 3).transpose(0, 1);
        ops.download(up, strided);
        assertArrayEquals(x, strided.toArray(), "download into any host layout");
        assertTrue(ops.download(up).isHost());
        if (z.isHost()) assertSame(z, ops.download(z), "a host backend downloads nothing");

        assertThrows(IllegalArgumentException.class, () -> ops.download(up, new float[14]));

        Tensor fromHost = ops.copyOf(Tensor.wrap(x, 3, 5).transpose(0, 1)), fromBackend = ops.copyOf(up);
        assertTrue(fromHost.isContiguous() && fromBackend.isContiguous(), "copies are dense");
        assertArrayEquals(Tensor.wrap(x, 3, 5).transpose(0, 1).toArray(), host(ops, fromHost), "a host view copied in");
        assertArrayEquals(x, host(ops, fromBackend));
        assertNotSame(up, fromBackend);
        ops.scale(fromBackend, 2f, fromBackend);
        assertArrayEquals(x, host(ops, up), "a copy of its own");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void workspaceBuffersAreReusedPerThreadAndName(Backends.Backend backend) throws Exception {
        Workspace w = backend.ops().workspace();
        Tensor a = w.take("a", 4, 8);
        assertArrayEquals(new int[] {4, 8}, a.shape());
        // A take holds whatever was there (on a GPU, anything, NaN included): write it whole, not by scaling.
        backend.ops().scale(backend.ops().upload(Tensor.wrap(filled(32, 2f), 4, 8)), 1f, a);
        Tensor again = w.take("a", 2, 3);
        assertArrayEquals(new int[] {2, 3}, again.shape());
        assertArrayEquals(filled(6, 2f), host(backend.ops(), again), "a smaller take reuses the buffer");
        Tensor other = w.take("b", 4, 8);
        backend.ops().scale(backend.ops().upload(Tensor.wrap(filled(32, 0f), 4, 8)), 1f, other);
        assertArrayEquals(filled(6, 2f), host(backend.ops(), w.take("a", 2, 3)), "names are separate buffers");
        AtomicReference<Tensor> elsewhere = new AtomicReference<>();
        Thread t = new Thread(() -> elsewhere.set(w.take("a", 4, 8)));
        t.start();
        t.join();
        if (a.isHost()) assertNotSame(a.segment(), elsewhere.get().segment(), "threads have their own buffers");
    }

    // ---- linear algebra -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gemmPrepackedGemmLinearAndLinearOfDifference(Backends.Backend backend) {
        Ops ops = backend.ops();
        int m = 19, k = 37, n = 29;
        float[] a = random(m * k, 2), b = random(k * n, 3), c = random(m * n, 4), y = random(m * k, 5), bias = random(n, 6);
        float tol = 1e-6f * k;

        Tensor expected = Tensor.wrap(c.clone(), m, n);
        REF.gemm(0.5f, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), -2f, expected);
        Tensor out = ops.upload(Tensor.wrap(c.clone(), m, n));
        ops.gemm(0.5f, ops.upload(Tensor.wrap(a, m, k)), ops.upload(Tensor.wrap(b, k, n)), -2f, out);
        close("gemm", expected.toArray(), host(ops, out), 1e-5f, tol);

        // A transposed weight view, as a linear layer passes it.
        PackedMatrix packed = ops.prepack(ops.upload(Tensor.wrap(b, n, k)).transpose(0, 1));
        expected = Tensor.zeros(m, n);
        REF.gemm(1f, Tensor.wrap(a, m, k), Tensor.wrap(b, n, k).transpose(0, 1), 0f, expected);
        out = ops.zeros(m, n);
        ops.gemm(1f, ops.upload(Tensor.wrap(a, m, k)), packed, 0f, out);
        close("prepacked gemm", expected.toArray(), host(ops, out), 1e-5f, tol);

        PackedMatrix w = ops.prepack(ops.upload(Tensor.wrap(b, k, n)));
        for (Activation activation : Activation.values()) {
            for (float beta : new float[] {0f, 1f}) {
                expected = Tensor.wrap(c.clone(), m, n);
                REF.linear(Tensor.wrap(a, m, k), REF.prepack(Tensor.wrap(b, k, n)), Tensor.wrap(bias, n), beta, activation, expected);
                out = ops.upload(Tensor.wrap(c.clone(), m, n));
                ops.linear(ops.upload(Tensor.wrap(a, m, k)), w, ops.upload(Tensor.wrap(bias, n)), beta, activation, out);
                close("linear " + activation + " beta " + beta, expected.toArray(), host(ops, out), 1e-5f, tol);

                expected = Tensor.wrap(c.clone(), m, n);
                REF.linearOfDifference(Tensor.wrap(a, m, k), Tensor.wrap(y, m, k), REF.prepack(Tensor.wrap(b, k, n)),
                        null, beta, activation, expected);
                out = ops.upload(Tensor.wrap(c.clone(), m, n));
                ops.linearOfDifference(ops.upload(Tensor.wrap(a, m, k)), ops.upload(Tensor.wrap(y, m, k)), w, null, beta,
                        activation, out);
                close("linearOfDifference " + activation + " beta " + beta, expected.toArray(), host(ops, out), 1e-5f, 2 * tol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void attentionOverAFusedProjectionWithPaddedKeys(Backends.Backend backend) {
        Ops ops = backend.ops();
        int d = 64;
        // Lengths across the reference's and the fast backends' key blocks, with and without padded keys.
        for (int[] tk : new int[][] {{1, 1}, {5, 3}, {47, 47}, {49, 30}, {149, 149}, {200, 193}, {420, 401}}) {
            int t = tk[0], keys = tk[1];
            float[] x = random(t * 3 * d, 40 + t);
            for (int i = 0; i < x.length; i++) x[i] *= 3; // scores spread over tens, as trained heads'
            Tensor host = Tensor.wrap(x, t, 3 * d);
            Tensor expected = Tensor.zeros(t, d);
            REF.attention(host.slice(1, 0, d), host.slice(1, d, 2 * d), host.slice(1, 2 * d, 3 * d), keys, 0.125f, expected);
            Tensor rows = ops.upload(host);
            Tensor out = ops.zeros(t, d);
            ops.attention(rows.slice(1, 0, d), rows.slice(1, d, 2 * d), rows.slice(1, 2 * d, 3 * d), keys, 0.125f, out);
            close("attention T " + t + " keys " + keys, expected.toArray(), host(ops, out), 1e-5f, 1e-5f);
        }
        Tensor q = ops.zeros(4, 8), v = ops.zeros(5, 8);
        assertThrows(IllegalArgumentException.class, () -> ops.attention(q, q, v, 4, 1f, ops.zeros(4, 8)));
        assertThrows(IllegalArgumentException.class, () -> ops.attention(q, q, q, 5, 1f, ops.zeros(4, 8)));
        assertThrows(IllegalArgumentException.class, () -> ops.attention(q, q, q, 0, 1f, ops.zeros(4, 8)));
    }

    // ---- element-wise, reductions, row-wise ---------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void multiHeadAttentionIsAttentionOfEachSequenceAndHead(Backends.Backend backend) {
        Ops ops = backend.ops();
        int batch = 3, steps = 11, heads = 4, dim = 24, headDim = dim / heads;
        int[] keys = {11, 5, 1};
        float scale = 1 / (float) Math.sqrt(headDim);
        float[] qkv = random(batch * steps * 3 * dim, 21);
        // qkv as columns of a wider buffer, as a fused projection with padding might leave them
        Tensor host = Tensor.wrap(qkv, batch * steps, 3 * dim);
        Tensor expected = Tensor.zeros(batch * steps, dim);
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                Tensor rows = host.slice(0, b * steps, (b + 1) * steps);
                REF.attention(rows.slice(1, h * headDim, (h + 1) * headDim), rows.slice(1, dim + h * headDim, dim + (h + 1) * headDim),
                        rows.slice(1, 2 * dim + h * headDim, 2 * dim + (h + 1) * headDim), keys[b], scale,
                        expected.slice(0, b * steps, (b + 1) * steps).slice(1, h * headDim, (h + 1) * headDim));
            }
        }
        Tensor out = ops.zeros(batch * steps, dim);
        ops.multiHeadAttention(ops.upload(host), keys, heads, scale, POOL, out);
        close("multi-head attention", expected.toArray(), host(ops, out), 1e-5f, 1e-6f);
        assertThrows(IllegalArgumentException.class,
                () -> ops.multiHeadAttention(ops.upload(host), new int[] {11, 12, 1}, heads, scale, POOL, out));
    }

    interface Unary { void apply(Ops ops, Tensor a, Tensor out); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void elementWiseOperations(Backends.Backend backend) {
        Ops ops = backend.ops();
        float ulps = 4 * Math.ulp(1f);
        for (int[] shape : SHAPES) {
            int n = (int) Tensor.count(shape);
            float[] x = random(n, 7), y = random(n, 8), positive = new float[n];
            for (int i = 0; i < n; i++) positive[i] = Math.abs(x[i]) + 0.01f;
            unary(ops, "scale", shape, x, (o, a, out) -> o.scale(a, -1.5f, out), 0);
            unary(ops, "addScalar", shape, x, (o, a, out) -> o.addScalar(a, 0.25f, out), 0);
            unary(ops, "relu", shape, x, Ops::relu, 0);
            unary(ops, "gelu", shape, x, Ops::gelu, ulps);
            unary(ops, "exp", shape, x, Ops::exp, ulps);
            unary(ops, "log", shape, positive, Ops::log, ulps);
            unary(ops, "sqrt", shape, positive, Ops::sqrt, 0);
            binary(ops, "add", shape, x, shape, y, Ops::add);
            binary(ops, "sub", shape, x, shape, y, Ops::sub);
            binary(ops, "mul", shape, x, shape, y, Ops::mul);
            int[] row = {shape[shape.length - 1]};
            binary(ops, "add of a broadcast row", shape, x, row, random(row[0], 9), Ops::add);
        }
    }

    interface Binary { void apply(Ops ops, Tensor a, Tensor b, Tensor out); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void reductionsAndRowWiseOperations(Backends.Backend backend) {
        Ops ops = backend.ops();
        for (int[] shape : SHAPES) {
            int n = (int) Tensor.count(shape), len = shape[shape.length - 1];
            float[] x = random(n, 10);
            float tol = (float) (4 * Math.sqrt(len) * Math.ulp(1f) * len);
            int[] reduced = java.util.Arrays.copyOf(shape, shape.length - 1);
            for (String op : new String[] {"sum", "mean", "max"}) {
                Tensor expected = Tensor.zeros(reduced);
                reduce(REF, op, Tensor.wrap(x, shape), expected);
                Tensor out = ops.zeros(reduced);
                reduce(ops, op, ops.upload(Tensor.wrap(x, shape)), out);
                close(op + " " + java.util.Arrays.toString(shape), expected.toArray(), host(ops, out), 0, tol);
            }
            int[] expectedIdx = new int[n / len], actualIdx = new int[n / len];
            REF.argmax(Tensor.wrap(x, shape), expectedIdx);
            ops.argmax(ops.upload(Tensor.wrap(x, shape)), actualIdx);
            assertArrayEquals(expectedIdx, actualIdx, "argmax");
            float sumAll = ops.sumAll(ops.upload(Tensor.wrap(x, shape)));
            assertEquals(REF.sumAll(Tensor.wrap(x, shape)), sumAll, 4 * Math.sqrt(n) * Math.ulp(1f) * n, "sumAll");

            float rowTol = 1e-6f * (float) Math.sqrt(len) + 1e-6f;
            unary(ops, "softmax", shape, x, Ops::softmax, rowTol);
            unary(ops, "logSoftmax", shape, x, Ops::logSoftmax, rowTol);
            float[] gamma = random(len, 11), beta = random(len, 12);
            unary(ops, "layerNorm", shape, x, (o, a, out) -> o.layerNorm(a, o.upload(Tensor.wrap(gamma, len)),
                    o.upload(Tensor.wrap(beta, len)), 1e-5f, out), 1e-5f);
        }
    }

    // ---- sequences ----------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void maskRowsZeroesEachSequencesPadding(Backends.Backend backend) {
        Ops ops = backend.ops();
        int[] shape = {3, 7, 5};
        int[] lengths = {7, 0, 4};
        float[] x = random(3 * 7 * 5, 13);
        Tensor expected = Tensor.zeros(shape);
        REF.maskRows(Tensor.wrap(x, shape), lengths, expected);
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 7; t++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(t < lengths[b] ? x[(b * 7 + t) * 5 + j] : 0f, expected.get(b, t, j), "reference");
                }
            }
        }
        Tensor out = ops.zeros(shape);
        ops.maskRows(ops.upload(Tensor.wrap(x, shape)), lengths, out);
        assertArrayEquals(expected.toArray(), host(ops, out));
        Tensor inPlace = ops.upload(Tensor.wrap(x.clone(), shape));
        ops.maskRows(inPlace, lengths, inPlace);
        assertArrayEquals(expected.toArray(), host(ops, inPlace), "in place");
        assertThrows(IllegalArgumentException.class, () -> ops.maskRows(out, new int[] {7, 8, 0}, out));
        assertThrows(IllegalArgumentException.class, () -> ops.maskRows(out, new int[] {7, 0}, out));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void padRowsSurroundsRowsWithZeros(Backends.Backend backend) {
        Ops ops = backend.ops();
        float[] x = random(9 * 12, 14);
        Tensor wide = Tensor.wrap(x, 9, 12);
        for (int before : new int[] {0, 3}) {
            Tensor group = wide.slice(1, 4, 8); // a column slice, as the positional conv passes a group's channels
            Tensor expected = Tensor.zeros(9 + 7, 4);
            REF.padRows(group, before, expected);
            for (int r = 0; r < 16; r++) {
                for (int j = 0; j < 4; j++) {
                    float v = r >= before && r < before + 9 ? x[(r - before) * 12 + 4 + j] : 0f;
                    assertEquals(v, expected.get(r, j), "reference");
                }
            }
            Tensor out = ops.upload(Tensor.wrap(filled(16 * 4, Float.NaN), 16, 4));
            ops.padRows(ops.upload(wide).slice(1, 4, 8), before, out);
            assertArrayEquals(expected.toArray(), host(ops, out), "before " + before);
        }
        assertThrows(IllegalArgumentException.class, () -> ops.padRows(wide, 8, ops.zeros(16, 12)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void frameWindowsCutTheSignal(Backends.Backend backend) {
        Ops ops = backend.ops();
        int n = 103, kernel = 10, stride = 5, frames = (n - kernel) / stride + 1;
        float[] signal = random(n, 15);
        float shift = 0.125f;
        for (int width : new int[] {kernel, kernel + 1}) {
            Tensor expected = Tensor.zeros(frames, width);
            REF.frameWindows(Tensor.wrap(signal, n), kernel, stride, shift, expected);
            for (int t = 0; t < frames; t++) {
                for (int j = 0; j < width; j++) {
                    assertEquals(j < kernel ? signal[t * stride + j] - shift : 1f, expected.get(t, j), "reference");
                }
            }
            Tensor out = ops.zeros(frames, width);
            ops.frameWindows(ops.upload(Tensor.wrap(signal, n)), kernel, stride, shift, out);
            assertArrayEquals(expected.toArray(), host(ops, out), "width " + width);
        }
        assertThrows(IllegalArgumentException.class,
                () -> ops.frameWindows(ops.upload(Tensor.wrap(signal, n)), kernel, stride, 0f, ops.zeros(frames + 1, kernel)));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static void unary(Ops ops, String name, int[] shape, float[] x, Unary op, float tol) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), expected);
        Tensor out = ops.zeros(shape);
        op.apply(ops, ops.upload(Tensor.wrap(x, shape)), out);
        String what = name + " " + java.util.Arrays.toString(shape);
        close(what, expected.toArray(), host(ops, out), tol, tol);
        Tensor inPlace = ops.upload(Tensor.wrap(x.clone(), shape));
        op.apply(ops, inPlace, inPlace);
        close(what + " in place", expected.toArray(), host(ops, inPlace), tol, tol);
    }

    private static void binary(Ops ops, String name, int[] shape, float[] x, int[] yShape, float[] y, Binary op) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), Tensor.wrap(y, yShape), expected);
        Tensor out = ops.zeros(shape);
        op.apply(ops, ops.upload(Tensor.wrap(x, shape)), ops.upload(Tensor.wrap(y, yShape)), out);
        close(name + " " + java.util.Arrays.toString(shape), expected.toArray(), host(ops, out), 0, 0);
    }

    private static void reduce(Ops ops, String op, Tensor a, Tensor out) {
        switch (op) {
            case "sum" -> ops.sum(a, out);
            case "mean" -> ops.mean(a, out);
            case "max" -> ops.max(a, out);
            default -> throw new IllegalArgumentException(op);
        }
    }

    /** The elements of a backend's tensor, through {@link Ops#download(Tensor, float[])}. */
    private static float[] host(Ops ops, Tensor t) {
        float[] out = new float[(int) t.size()];
        ops.download(t, out);
        return out;
    }

    private static void close(String what, float[] expected, float[] actual, float rel, float abs) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float bound = rel * Math.abs(expected[i]) + abs;
            if (Float.isNaN(expected[i]) && Float.isNaN(actual[i])) continue;
            if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                fail(what + " [" + i + "]: " + actual[i] + ", expected " + expected[i] + " ± " + bound);
            }
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextFloat() - 1;
        return v;
    }

    private static float[] filled(int n, float value) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
