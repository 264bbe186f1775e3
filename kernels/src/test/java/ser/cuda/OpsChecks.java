package ser.cuda;

import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.ScalarOps;
import ser.tensor.Tensor;
import ser.tensor.Workspace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every {@link Ops} method of a backend against {@link ScalarOps}, the reference, as {@code OpsParityTest} holds
 * them, but as a list of {@link Check}s with their errors instead of assertions, and over views too: each input
 * contiguous, as the transpose of a stored matrix, or as a column slice of a wider one (its pads NaN, so that a
 * read outside the view shows), broadcast where an operand may be; each output contiguous, a transposed view, or a
 * column slice (whose pads must stay NaN: a write outside the view shows), and in place. Operands are
 * {@linkplain Ops#upload uploaded}, results {@linkplain Ops#download downloaded}, as a model calls them.
 *
 * <p>{@link GpuCheck}'s {@code ops} section runs it on {@link CudaOps} in fp32 (every method) and in tf32 and bf16
 * (the GEMM family), and on {@code SimdOps} in the same run, so that each GPU error is printed beside the CPU
 * engine's own. Tolerances, relative to the largest |reference|: 0 for what rounds once per element, as
 * {@code OpsParityTest}; 1e-6 for transcendental functions; 1e-5 for sums, rows and fp32 GEMMs; the 5e-3
 * for tf32 and 2e-2 for bf16 GEMMs, whose bf16 rounding ({@code f32_to_bf16}) is also held exactly to
 * {@link HostGpu#bf16} (a product of bf16-rounded inputs within 1e-5).
 */
final class OpsChecks {

    enum Layout { CONTIGUOUS, TRANSPOSED, SLICED }

    private static final ScalarOps REF = new ScalarOps();
    private final Ops ops;
    private final String precision;
    private final List<Check> out = new ArrayList<>();
    private final int[][] shapes;

    private OpsChecks(Ops ops, String precision, boolean large) {
        this.ops = ops;
        this.precision = precision;
        List<int[]> s = new ArrayList<>(List.of(new int[] {7}, new int[] {3, 17}, new int[] {2, 5, 33}, new int[] {4, 1023},
                new int[] {3, 3000}));
        if (large) {  // HuBERT base's: a batch of 8 x 3 s, its feed-forward rows, and a clip's attention scores
            s.add(new int[] {1192, 768});
            s.add(new int[] {149, 3072});
            s.add(new int[] {12 * 149, 149});
        }
        this.shapes = s.toArray(int[][]::new);
    }

    /** Every method, on {@code ops} in fp32 (or a CPU backend). */
    static List<Check> all(Ops ops, boolean large) {
        OpsChecks c = new OpsChecks(ops, "fp32", large);
        c.memory();
        c.gemms(1e-5);
        c.elementWise();
        c.reductionsAndRows();
        c.sequences(large);
        return c.out;
    }

    /** The GEMM family (gemm, prepacked gemm, linear, linearOfDifference, attention) in a rounding precision. */
    static List<Check> gemms(Ops ops, Cublas.Precision precision, boolean large) {
        OpsChecks c = new OpsChecks(ops, precision.name().toLowerCase(), large);
        c.gemms(precision == Cublas.Precision.BF16 ? 2e-2 : precision == Cublas.Precision.TF32 ? 5e-3 : 1e-5);
        if (precision == Cublas.Precision.BF16) c.bf16Rounding();
        return c.out;
    }

    // ---- placing values in a layout ---------------------------------------------------------------------------

    /** A tensor of {@code o} holding {@code v} (row-major in {@code shape}) in the given layout. */
    private static Tensor place(Ops o, float[] v, int[] shape, Layout layout) {
        int r = shape.length;
        if (layout == Layout.TRANSPOSED && r >= 2) {
            int rows = shape[r - 2], cols = shape[r - 1], mats = v.length / Math.max(rows * cols, 1);
            float[] t = new float[v.length];
            for (int m = 0; m < mats; m++) {
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[m * rows * cols + j * rows + i] = v[m * rows * cols + i * cols + j];
            }
            int[] swapped = shape.clone();
            swapped[r - 2] = cols;
            swapped[r - 1] = rows;
            return o.upload(Tensor.wrap(t, swapped)).transpose(r - 2, r - 1);
        }
        if (layout == Layout.SLICED || layout == Layout.TRANSPOSED) {
            return sliced(o, v, shape);
        }
        return o.upload(Tensor.wrap(v.clone(), shape));
    }

    /** {@code v} as columns 1 .. n of a tensor 3 columns wider, whose other columns are NaN. */
    private static Tensor sliced(Ops o, float[] v, int[] shape) {
        int r = shape.length, cols = shape[r - 1], wideCols = cols + 3;
        int rows = v.length / Math.max(cols, 1);
        float[] wide = new float[rows * wideCols];
        Arrays.fill(wide, Float.NaN);
        for (int i = 0; i < rows; i++) System.arraycopy(v, i * cols, wide, i * wideCols + 1, cols);
        int[] ws = shape.clone();
        ws[r - 1] = wideCols;
        return o.upload(Tensor.wrap(wide, ws)).slice(r - 1, 1, 1 + cols);
    }

    private float[] host(Tensor t) {
        float[] h = new float[Math.toIntExact(t.size())];
        ops.download(t, h);
        return h;
    }

    private static float[] nan(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    private void add(String name, float[] expected, float[] actual, double tol) {
        out.add(Check.compare(name + " [" + precision + "]", expected, actual, tol));
    }

    /** For a sliced output: its pads (what is not the view) must still be NaN. */
    private void padsUntouched(String name, Tensor view) {
        Tensor base = view.strided(view.offset() - 1, wideShape(view), dense(wideShape(view)));  // the slice starts at column 1
        float[] all = host(base);
        int cols = view.dim(-1), wideCols = cols + 3;
        long written = 0;
        for (int i = 0; i < all.length; i++) {
            int j = i % wideCols;
            if ((j < 1 || j > cols) && !Float.isNaN(all[i])) written++;
        }
        out.add(new Check(name + " writes only its view [" + precision + "]", written, 1, 0, all.length));
    }

    private static int[] wideShape(Tensor view) {
        int[] s = view.shape();
        s[s.length - 1] += 3;
        return s;
    }

    private static long[] dense(int[] shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    // ---- memory -------------------------------------------------------------------------------------------------

    private void memory() {
        add("zeros [3, 5]", new float[15], host(ops.zeros(3, 5)), 0);
        float[] x = Check.random(6 * 9, 1);
        Tensor up = ops.upload(Tensor.wrap(x, 6, 9));
        add("upload, download", x, host(up), 0);
        Tensor hostT = Tensor.zeros(9, 6).transpose(0, 1);
        ops.download(up, hostT);
        add("download into a transposed host view", x, hostT.toArray(), 0);
        float[] want = Tensor.wrap(x, 6, 9).transpose(0, 1).slice(0, 2, 7).toArray();
        add("download of a transposed, sliced view", want, host(up.transpose(0, 1).slice(0, 2, 7)), 0);
        Workspace w = ops.workspace();
        Tensor a = w.take("a", 4, 8);
        ops.copy(ops.upload(Tensor.wrap(Check.random(32, 2), 4, 8)), a);
        float[] first = Arrays.copyOf(Check.random(32, 2), 6);
        Tensor b = w.take("b", 4, 8);
        ops.copy(ops.upload(Tensor.wrap(new float[32], 4, 8)), b);
        add("workspace: a smaller take reuses its buffer, names apart", first, host(w.take("a", 2, 3)), 0);
    }

    // ---- linear algebra -----------------------------------------------------------------------------------------

    private void gemms(double tol) {
        int m = 37, k = 129, n = 65;
        float[] a = Check.random(m * k, 2), b = Check.random(k * n, 3), c = Check.random(m * n, 4);
        Layout[][] cases = {
                {Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS}, {Layout.TRANSPOSED, Layout.CONTIGUOUS, Layout.CONTIGUOUS},
                {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.CONTIGUOUS}, {Layout.TRANSPOSED, Layout.TRANSPOSED, Layout.CONTIGUOUS},
                {Layout.SLICED, Layout.SLICED, Layout.CONTIGUOUS}, {Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.TRANSPOSED},
                {Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.SLICED}};
        for (Layout[] l : cases) {
            for (float beta : new float[] {0f, -2f}) {
                Tensor expected = Tensor.wrap(c.clone(), m, n);
                REF.gemm(0.5f, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), beta, expected);
                Tensor cc = place(ops, beta == 0f ? nan(m * n) : c, new int[] {m, n}, l[2]);
                ops.gemm(0.5f, place(ops, a, new int[] {m, k}, l[0]), place(ops, b, new int[] {k, n}, l[1]), beta, cc);
                String name = String.format("gemm %dx%dx%d A %s B %s C %s beta %s", m, k, n, l[0], l[1], l[2], beta);
                add(name, expected.toArray(), host(cc), tol);
                if (l[2] == Layout.SLICED) padsUntouched(name, cc);
            }
        }
        // k = 0: C = beta C, nothing read from A or B
        Tensor expected0 = Tensor.wrap(c.clone(), m, n);
        REF.gemm(1f, Tensor.zeros(m, 0), Tensor.zeros(0, n), 0.5f, expected0);
        Tensor c0 = ops.upload(Tensor.wrap(c.clone(), m, n));
        ops.gemm(1f, ops.zeros(m, 0), ops.zeros(0, n), 0.5f, c0);
        add("gemm k = 0, beta 0.5", expected0.toArray(), host(c0), 0);

        // Prepacked: a weight stored [n, k] passed transposed, as a linear layer passes it; and one stored [k, n].
        float[] wt = Check.random(n * k, 5), bias = Check.random(n, 6), y = Check.random(m * k, 7);
        Tensor hostW = Tensor.wrap(wt, n, k).transpose(0, 1);
        PackedMatrix packedT = ops.prepack(ops.upload(Tensor.wrap(wt, n, k)).transpose(0, 1));
        PackedMatrix packedHost = ops.prepack(Tensor.wrap(b, k, n));
        for (float beta : new float[] {0f, 1f}) {
            Tensor expected = Tensor.wrap(c.clone(), m, n);
            REF.gemm(1f, Tensor.wrap(a, m, k), hostW, beta, expected);
            Tensor cc = ops.upload(Tensor.wrap(beta == 0f ? nan(m * n) : c.clone(), m, n));
            ops.gemm(1f, ops.upload(Tensor.wrap(a, m, k)), packedT, beta, cc);
            add("prepacked gemm, weight a transposed view, beta " + beta, expected.toArray(), host(cc), tol);
            expected = Tensor.wrap(c.clone(), m, n);
            REF.gemm(1f, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), beta, expected);
            cc = ops.upload(Tensor.wrap(beta == 0f ? nan(m * n) : c.clone(), m, n));
            ops.gemm(1f, place(ops, a, new int[] {m, k}, Layout.SLICED), packedHost, beta, cc);
            add("prepacked gemm of a host weight, A sliced, beta " + beta, expected.toArray(), host(cc), tol);
        }
        PackedMatrix refW = REF.prepack(Tensor.wrap(b, k, n));
        for (Activation act : Activation.values()) {
            for (float beta : new float[] {0f, 1f}) {
                Tensor expected = Tensor.wrap(c.clone(), m, n);
                REF.linear(Tensor.wrap(a, m, k), refW, Tensor.wrap(bias, n), beta, act, expected);
                Tensor cc = ops.upload(Tensor.wrap(beta == 0f ? nan(m * n) : c.clone(), m, n));
                ops.linear(ops.upload(Tensor.wrap(a, m, k)), packedHost, ops.upload(Tensor.wrap(bias, n)), beta, act, cc);
                add("linear " + act + " beta " + beta, expected.toArray(), host(cc), tol);
                expected = Tensor.wrap(c.clone(), m, n);
                REF.linearOfDifference(Tensor.wrap(a, m, k), Tensor.wrap(y, m, k), refW, null, beta, act, expected);
                cc = ops.upload(Tensor.wrap(beta == 0f ? nan(m * n) : c.clone(), m, n));
                ops.linearOfDifference(ops.upload(Tensor.wrap(a, m, k)), ops.upload(Tensor.wrap(y, m, k)), packedHost, null,
                        beta, act, cc);
                add("linearOfDifference " + act + " beta " + beta, expected.toArray(), host(cc), tol);
            }
        }
        int d = 64;
        for (int[] tk : new int[][] {{1, 1}, {5, 3}, {49, 30}, {149, 149}, {200, 193}}) {
            int t = tk[0], keys = tk[1];
            float[] x = Check.random(t * 3 * d, 40 + t);
            for (int i = 0; i < x.length; i++) x[i] *= 2;
            Tensor h = Tensor.wrap(x, t, 3 * d);
            Tensor expected = Tensor.zeros(t, d);
            REF.attention(h.slice(1, 0, d), h.slice(1, d, 2 * d), h.slice(1, 2 * d, 3 * d), keys, 0.125f, expected);
            Tensor rows = ops.upload(h), o = ops.upload(Tensor.wrap(nan(t * d), t, d));
            ops.attention(rows.slice(1, 0, d), rows.slice(1, d, 2 * d), rows.slice(1, 2 * d, 3 * d), keys, 0.125f, o);
            add("attention T " + t + " keys " + keys + " (q, k, v slices of one projection)", expected.toArray(), host(o), tol);
        }
        // HuBERT's batched form: 12 heads of 64 over 3 padded clips of 149 frames, qkv in a wider buffer (ld 2,400)
        int heads = 12, dim = heads * d, steps = 149;
        int[] valid = {149, 100, 1};
        float[] wide = Check.random(valid.length * steps * 2400, 47);
        Tensor qkv = Tensor.wrap(wide, valid.length * steps, 2400).slice(1, 0, 3 * dim);
        Tensor expected = Tensor.zeros(valid.length * steps, dim);
        REF.multiHeadAttention(qkv, valid, heads, 0.125f, SERIAL, expected);
        Tensor o = ops.upload(Tensor.wrap(nan(valid.length * steps * dim), valid.length * steps, dim));
        ops.multiHeadAttention(ops.upload(Tensor.wrap(wide, valid.length * steps, 2400)).slice(1, 0, 3 * dim), valid, heads,
                0.125f, SERIAL, o);
        add("multiHeadAttention 3 x 149 frames, 12 heads, keys 149/100/1", expected.toArray(), host(o), tol);
    }

    private static final ser.tensor.Parallel SERIAL = new ser.tensor.Parallel(1);

    /** bf16 GEMMs against the product of bf16-rounded inputs: f32_to_bf16 rounds as {@link HostGpu#bf16} does. */
    private void bf16Rounding() {
        int m = 37, k = 129, n = 65;
        float[] a = Check.random(m * k, 8), b = Check.random(k * n, 9);
        for (int i = 0; i < a.length; i++) a[i] *= 1.37f;
        float[] ar = rounded(a), br = rounded(b);
        Tensor expected = Tensor.zeros(m, n);
        REF.gemm(1f, Tensor.wrap(ar, m, k), Tensor.wrap(br, k, n), 0f, expected);
        Tensor cc = ops.zeros(m, n);
        ops.gemm(1f, ops.upload(Tensor.wrap(a, m, k)), ops.upload(Tensor.wrap(b, k, n)), 0f, cc);
        out.add(Check.compare("gemm of bf16-rounded inputs (f32_to_bf16 round to nearest even) [bf16]", expected.toArray(), host(cc), 1e-5));
        PackedMatrix p = ops.prepack(Tensor.wrap(b, k, n));
        cc = ops.zeros(m, n);
        ops.gemm(1f, ops.upload(Tensor.wrap(a, m, k)), p, 0f, cc);
        out.add(Check.compare("prepacked gemm of bf16-rounded inputs [bf16]", expected.toArray(), host(cc), 1e-5));
    }

    private static float[] rounded(float[] x) {
        float[] r = new float[x.length];
        for (int i = 0; i < x.length; i++) r[i] = Float.intBitsToFloat((HostGpu.bf16(x[i]) & 0xffff) << 16);
        return r;
    }

    // ---- element-wise -----------------------------------------------------------------------------------------

    interface Unary { void apply(Ops o, Tensor a, Tensor out); }

    interface Binary { void apply(Ops o, Tensor a, Tensor b, Tensor out); }

    private void unary(String name, int[] shape, float[] x, Unary op, double tol) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), expected);
        float[] want = expected.toArray();
        Layout[][] cases = shape.length == 1
                ? new Layout[][] {{Layout.CONTIGUOUS, Layout.CONTIGUOUS}, {Layout.SLICED, Layout.SLICED}}
                : new Layout[][] {{Layout.CONTIGUOUS, Layout.CONTIGUOUS}, {Layout.TRANSPOSED, Layout.CONTIGUOUS},
                        {Layout.SLICED, Layout.CONTIGUOUS}, {Layout.CONTIGUOUS, Layout.TRANSPOSED}, {Layout.TRANSPOSED, Layout.SLICED}};
        int n = x.length;
        for (Layout[] l : cases) {
            Tensor o = place(ops, nan(n), shape, l[1]);
            op.apply(ops, place(ops, x, shape, l[0]), o);
            String what = name + " " + Arrays.toString(shape) + " in " + l[0] + " out " + l[1];
            add(what, want, host(o), tol);
            if (l[1] == Layout.SLICED) padsUntouched(what, o);
        }
        Tensor inPlace = place(ops, x, shape, shape.length == 1 ? Layout.CONTIGUOUS : Layout.TRANSPOSED);
        op.apply(ops, inPlace, inPlace);
        add(name + " " + Arrays.toString(shape) + " in place", want, host(inPlace), tol);
    }

    private void binary(String name, int[] shape, float[] x, float[] y, Binary op) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), Tensor.wrap(y, shape), expected);
        float[] want = expected.toArray();
        Layout[][] cases = shape.length == 1
                ? new Layout[][] {{Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS}, {Layout.SLICED, Layout.CONTIGUOUS, Layout.SLICED}}
                : new Layout[][] {{Layout.CONTIGUOUS, Layout.CONTIGUOUS, Layout.CONTIGUOUS},
                        {Layout.TRANSPOSED, Layout.SLICED, Layout.CONTIGUOUS}, {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.TRANSPOSED},
                        {Layout.SLICED, Layout.CONTIGUOUS, Layout.SLICED}};
        for (Layout[] l : cases) {
            Tensor o = place(ops, nan(x.length), shape, l[2]);
            op.apply(ops, place(ops, x, shape, l[0]), place(ops, y, shape, l[1]), o);
            String what = name + " " + Arrays.toString(shape) + " " + l[0] + " " + l[1] + " out " + l[2];
            add(what, want, host(o), 0);
            if (l[2] == Layout.SLICED) padsUntouched(what, o);
        }
        // b a row broadcast over the leading axes: as a bias vector, and as an explicit stride-0 view
        int last = shape[shape.length - 1];
        float[] row = Arrays.copyOf(y, last);
        Tensor hostRow = Tensor.wrap(row, last);
        expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), hostRow, expected);
        Tensor o = ops.zeros(shape);
        op.apply(ops, ops.upload(Tensor.wrap(x, shape)), ops.upload(hostRow), o);
        add(name + " " + Arrays.toString(shape) + " of a broadcast row", expected.toArray(), host(o), 0);
        o = place(ops, nan(x.length), shape, shape.length == 1 ? Layout.CONTIGUOUS : Layout.TRANSPOSED);
        op.apply(ops, place(ops, x, shape, Layout.SLICED), ops.upload(hostRow).broadcastTo(shape), o);
        add(name + " " + Arrays.toString(shape) + " of a stride-0 view, out transposed", expected.toArray(), host(o), 0);
    }

    private void elementWise() {
        for (int[] shape : shapes) {
            int n = (int) Tensor.count(shape);
            float[] x = Check.random(n, 7), y = Check.random(n, 8), positive = new float[n];
            for (int i = 0; i < n; i++) positive[i] = Math.abs(x[i]) + 0.01f;
            unary("copy", shape, x, Ops::copy, 0);
            unary("scale", shape, x, (o, a, r) -> o.scale(a, -1.5f, r), 0);
            unary("addScalar", shape, x, (o, a, r) -> o.addScalar(a, 0.25f, r), 0);
            unary("relu", shape, x, Ops::relu, 0);
            unary("gelu", shape, x, Ops::gelu, 1e-6);
            unary("exp", shape, x, Ops::exp, 1e-6);
            unary("log", shape, positive, Ops::log, 1e-6);
            unary("sqrt", shape, positive, Ops::sqrt, 0);
            binary("add", shape, x, y, Ops::add);
            binary("sub", shape, x, y, Ops::sub);
            binary("mul", shape, x, y, Ops::mul);
        }
    }

    // ---- reductions, row-wise -----------------------------------------------------------------------------------

    private void reductionsAndRows() {
        for (int[] shape : shapes) {
            int n = (int) Tensor.count(shape), len = shape[shape.length - 1];
            float[] x = Check.random(n, 10);
            int[] reduced = Arrays.copyOf(shape, shape.length - 1);
            int rows = n / len;
            for (String op : new String[] {"sum", "mean", "max"}) {
                Tensor expected = Tensor.zeros(reduced);
                reduce(REF, op, Tensor.wrap(x, shape), expected);
                for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.SLICED}) {
                    Tensor o = ops.upload(Tensor.wrap(nan(rows), reduced));
                    reduce(ops, op, place(ops, x, shape, l), o);
                    add(op + " " + Arrays.toString(shape) + " in " + l, expected.toArray(), host(o), op.equals("max") ? 0 : 1e-5);
                }
            }
            int[] want = new int[rows];
            REF.argmax(Tensor.wrap(x, shape), want);
            for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.TRANSPOSED}) {
                int[] got = new int[rows];
                ops.argmax(place(ops, x, shape, l), got);
                out.add(Check.exact("argmax " + Arrays.toString(shape) + " in " + l + " [" + precision + "]", want, got));
            }
            float total = REF.sumAll(Tensor.wrap(x, shape));
            for (Layout l : new Layout[] {Layout.CONTIGUOUS, Layout.SLICED}) {
                add("sumAll " + Arrays.toString(shape) + " in " + l, new float[] {total},
                        new float[] {ops.sumAll(place(ops, x, shape, l))}, 1e-5 * Math.max(1, Math.sqrt(n)));
            }
            unary("softmax", shape, x, Ops::softmax, 1e-5);
            unary("logSoftmax", shape, x, Ops::logSoftmax, 1e-5);
            float[] gamma = Check.random(len, 11), beta = Check.random(len, 12);
            Tensor g = ops.upload(Tensor.wrap(gamma, len)), b = ops.upload(Tensor.wrap(beta, len));
            unary("layerNorm", shape, x, (o, a, r) -> o.layerNorm(a, o == REF ? Tensor.wrap(gamma, len) : g,
                    o == REF ? Tensor.wrap(beta, len) : b, 1e-5f, r), 1e-5);
            unary("layerNorm without gamma, beta", shape, x, (o, a, r) -> o.layerNorm(a, null, null, 1e-5f, r), 1e-5);
        }
    }

    private static void reduce(Ops o, String op, Tensor a, Tensor r) {
        switch (op) {
            case "sum" -> o.sum(a, r);
            case "mean" -> o.mean(a, r);
            case "max" -> o.max(a, r);
            default -> throw new IllegalArgumentException(op);
        }
    }

    // ---- sequences --------------------------------------------------------------------------------------------

    private void sequences(boolean large) {
        List<int[]> masks = new ArrayList<>(List.of(new int[] {3, 7, 5}));
        if (large) masks.add(new int[] {8, 149, 768});
        for (int[] shape : masks) {
            int n = (int) Tensor.count(shape), b = shape[0], t = shape[1];
            int[] lengths = new int[b];
            for (int i = 0; i < b; i++) lengths[i] = i == 1 ? 0 : Math.max(1, t - 3 * i);
            lengths[0] = t;
            float[] x = Check.random(n, 13);
            Tensor expected = Tensor.zeros(shape);
            REF.maskRows(Tensor.wrap(x, shape), lengths, expected);
            String s = Arrays.toString(shape) + " lengths " + Arrays.toString(lengths).replace(" ", "");
            Tensor o = ops.upload(Tensor.wrap(nan(n), shape));
            ops.maskRows(ops.upload(Tensor.wrap(x, shape)), lengths, o);
            add("maskRows " + s, expected.toArray(), host(o), 0);
            o = place(ops, nan(n), shape, Layout.SLICED);
            ops.maskRows(place(ops, x, shape, Layout.SLICED), lengths, o);
            add("maskRows " + s + " sliced in and out", expected.toArray(), host(o), 0);
            padsUntouched("maskRows " + s + " sliced out", o);
            Tensor inPlace = ops.upload(Tensor.wrap(x, shape));
            ops.maskRows(inPlace, lengths, inPlace);
            add("maskRows " + s + " in place", expected.toArray(), host(inPlace), 0);
        }
        float[] x = Check.random(9 * 12, 14);
        Tensor wide = Tensor.wrap(x, 9, 12);
        for (int before : new int[] {0, 3}) {
            Tensor expected = Tensor.zeros(16, 4);
            REF.padRows(wide.slice(1, 4, 8), before, expected);
            Tensor o = ops.upload(Tensor.wrap(nan(16 * 4), 16, 4));
            ops.padRows(ops.upload(wide).slice(1, 4, 8), before, o);
            add("padRows of a column slice, before " + before, expected.toArray(), host(o), 0);
            o = place(ops, nan(16 * 4), new int[] {16, 4}, Layout.TRANSPOSED);
            ops.padRows(ops.upload(wide).slice(1, 4, 8), before, o);
            add("padRows into a transposed view, before " + before, expected.toArray(), host(o), 0);
        }
        List<Integer> lengths = new ArrayList<>(List.of(103));
        if (large) lengths.add(48_000);
        for (int n : lengths) {
            int kernel = 10, stride = 5, frames = (n - kernel) / stride + 1;
            float[] signal = Check.random(n, 15);
            for (int width : new int[] {kernel, kernel + 1}) {
                Tensor expected = Tensor.zeros(frames, width);
                REF.frameWindows(Tensor.wrap(signal, n), kernel, stride, 0.125f, expected);
                Tensor o = ops.upload(Tensor.wrap(nan(frames * width), frames, width));
                ops.frameWindows(ops.upload(Tensor.wrap(signal, n)), kernel, stride, 0.125f, o);
                add("frameWindows " + n + " samples, width " + width, expected.toArray(), host(o), 0);
            }
            Tensor expected = Tensor.zeros(frames, kernel + 1);
            REF.frameWindows(Tensor.wrap(signal, n), kernel, stride, 0.125f, expected);
            Tensor o = place(ops, nan(frames * (kernel + 1)), new int[] {frames, kernel + 1}, Layout.SLICED);
            ops.frameWindows(place(ops, signal, new int[] {n}, Layout.SLICED), kernel, stride, 0.125f, o);
            add("frameWindows " + n + " samples, sliced in and out", expected.toArray(), host(o), 0);
            padsUntouched("frameWindows " + n + " samples, sliced out", o);
        }
    }
}
