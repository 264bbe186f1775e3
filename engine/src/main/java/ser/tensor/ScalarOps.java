package ser.tensor;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * The reference backend: one element at a time through {@link Tensor#get}/{@link Tensor#set}, so it takes any
 * strides, broadcasts and memory, and is plainly correct rather than fast. Every fast kernel is tested against it.
 * Sums accumulate in double, which makes the reference at least as accurate as any backend it judges.
 */
public final class ScalarOps implements Ops {

    // ---- linear algebra -----------------------------------------------------------------------------------

    @Override
    public void gemm(float alpha, Tensor a, Tensor b, float beta, Tensor c) {
        Shapes.checkGemm(a, b, c);
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        // Row i of the product accumulates as Σ_p a[i,p] · b[p,:], walking b along its rows. Direct segment
        // reads instead of get(i, j): the same arithmetic, fast enough to be the baseline of GemmBench.
        double[] row = new double[n];
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0);
            for (int p = 0; p < k; p++) {
                double aip = at(a, i, p);
                long bRow = b.offset() + p * b.stride(0);
                for (int j = 0; j < n; j++) row[j] += aip * b.segment().getAtIndex(Tensor.F32, bRow + j * b.stride(1));
            }
            for (int j = 0; j < n; j++) {
                double old = beta == 0 ? 0 : beta * (double) at(c, i, j);
                c.segment().setAtIndex(Tensor.F32, c.offset() + i * c.stride(0) + j * c.stride(1),
                        (float) (alpha * row[j] + old));
            }
        }
    }

    /** The reference has no packed layout: it keeps the view and multiplies by it. */
    @Override
    public PackedMatrix prepack(Tensor b) {
        return new PackedMatrix(b, null);
    }

    @Override
    public void gemm(float alpha, Tensor a, PackedMatrix b, float beta, Tensor c) {
        gemm(alpha, a, b.matrix(), beta, c);
    }

    private static float at(Tensor t, int i, int j) {
        return t.segment().getAtIndex(Tensor.F32, t.offset() + i * t.stride(0) + j * t.stride(1));
    }

    /** Keys per block of {@link #attention}: small, so that tests of a few dozen keys cross blocks. */
    static final int ATTENTION_BLOCK = 16;

    /**
     * The plain blocked attention: for each query, the keys a block at a time, with a running maximum {@code m},
     * sum {@code l} and weighted sum of values {@code acc}; a block with a larger maximum rescales the two sums by
     * {@code e^(m_old - m_new)} (online softmax). Everything after the scaled queries in double. Never holds more
     * than one block of scores.
     */
    @Override
    public void attention(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        Shapes.checkAttention(q, k, v, keys, out);
        int queries = q.dim(0), d = q.dim(1), e = v.dim(1);
        float[] query = new float[d];
        double[] scores = new double[ATTENTION_BLOCK], acc = new double[e];
        for (int i = 0; i < queries; i++) {
            for (int c = 0; c < d; c++) query[c] = scale * at(q, i, c);
            double m = Double.NEGATIVE_INFINITY, l = 0;
            java.util.Arrays.fill(acc, 0);
            for (int from = 0; from < keys; from += ATTENTION_BLOCK) {
                int n = Math.min(ATTENTION_BLOCK, keys - from);
                double blockMax = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += (double) query[c] * at(k, from + j, c);
                    scores[j] = s;
                    blockMax = Math.max(blockMax, s);
                }
                double next = Math.max(m, blockMax), rescale = m == Double.NEGATIVE_INFINITY ? 0 : Math.exp(m - next);
                l *= rescale;
                for (int c = 0; c < e; c++) acc[c] *= rescale;
                for (int j = 0; j < n; j++) {
                    double p = Math.exp(scores[j] - next);
                    l += p;
                    for (int c = 0; c < e; c++) acc[c] += p * at(v, from + j, c);
                }
                m = next;
            }
            for (int c = 0; c < e; c++) {
                out.segment().setAtIndex(Tensor.F32, out.offset() + i * out.stride(0) + c * out.stride(1), (float) (acc[c] / l));
            }
        }
    }

    // ---- element-wise -------------------------------------------------------------------------------------

    @Override public void add(Tensor a, Tensor b, Tensor out) { binary(a, b, out, (x, y) -> (float) x + (float) y); }

    @Override public void sub(Tensor a, Tensor b, Tensor out) { binary(a, b, out, (x, y) -> (float) x - (float) y); }

    @Override public void mul(Tensor a, Tensor b, Tensor out) { binary(a, b, out, (x, y) -> (float) x * (float) y); }

    @Override public void scale(Tensor a, float s, Tensor out) { unary(a, out, x -> s * (float) x); }

    @Override public void addScalar(Tensor a, float s, Tensor out) { unary(a, out, x -> (float) x + s); }

    @Override public void relu(Tensor a, Tensor out) { unary(a, out, x -> Math.max(x, 0)); }

    @Override public void gelu(Tensor a, Tensor out) { unary(a, out, x -> Erf.gelu((float) x)); }

    @Override public void exp(Tensor a, Tensor out) { unary(a, out, Math::exp); }

    @Override public void log(Tensor a, Tensor out) { unary(a, out, Math::log); }

    @Override public void sqrt(Tensor a, Tensor out) { unary(a, out, Math::sqrt); }

    /** The lambdas see floats widened to double and their results are rounded back to float once. */
    private static void unary(Tensor a, Tensor out, DoubleUnaryOperator f) {
        Shapes.checkSame(a, out);
        int[] idx = new int[a.rank()];
        for (long i = 0, n = a.size(); i < n; i++) {
            out.set((float) f.applyAsDouble(a.get(idx)), idx);
            Tensor.increment(idx, a.shape());
        }
    }

    private static void binary(Tensor a, Tensor b, Tensor out, DoubleBinaryOperator f) {
        Shapes.checkBinary(a, b, out);
        int[] shape = out.shape();
        Tensor ab = a.broadcastTo(shape), bb = b.broadcastTo(shape);
        int[] idx = new int[shape.length];
        for (long i = 0, n = out.size(); i < n; i++) {
            out.set((float) f.applyAsDouble(ab.get(idx), bb.get(idx)), idx);
            Tensor.increment(idx, shape);
        }
    }

    // ---- reductions ---------------------------------------------------------------------------------------

    @Override
    public void sum(Tensor a, Tensor out) {
        reduce(a, out, (row, len) -> {
            double s = 0;
            for (int j = 0; j < len; j++) s += row.at(j);
            return s;
        });
    }

    @Override
    public void mean(Tensor a, Tensor out) {
        reduce(a, out, (row, len) -> {
            double s = 0;
            for (int j = 0; j < len; j++) s += row.at(j);
            return s / len;
        });
    }

    @Override
    public void max(Tensor a, Tensor out) {
        reduce(a, out, (row, len) -> {
            float m = row.at(0);
            for (int j = 1; j < len; j++) m = Math.max(m, row.at(j));
            return m;
        });
    }

    @Override
    public void argmax(Tensor a, int[] out) {
        Shapes.requireLastAxis(a);
        checkRowCount(a, out.length);
        forEachRow(a, (r, row, len) -> {
            int best = 0;
            for (int j = 1; j < len && !Float.isNaN(row.at(best)); j++) {
                if (row.at(j) > row.at(best) || Float.isNaN(row.at(j))) best = j;
            }
            out[Math.toIntExact(r)] = best;
        });
    }

    @Override
    public float sumAll(Tensor a) {
        double s = 0;
        int[] idx = new int[a.rank()];
        for (long i = 0, n = a.size(); i < n; i++) {
            s += a.get(idx);
            Tensor.increment(idx, a.shape());
        }
        return (float) s;
    }

    // ---- row-wise -----------------------------------------------------------------------------------------

    @Override
    public void softmax(Tensor a, Tensor out) {
        Shapes.checkSame(a, out);
        Shapes.requireLastAxis(a);
        Rows outRows = new Rows(out);
        forEachRow(a, (r, row, len) -> {
            outRows.seek(r);
            float max = rowMax(row, len);
            double sum = 0;
            for (int j = 0; j < len; j++) sum += Math.exp(row.at(j) - max);
            for (int j = 0; j < len; j++) outRows.put(j, (float) (Math.exp(row.at(j) - max) / sum));
        });
    }

    @Override
    public void logSoftmax(Tensor a, Tensor out) {
        Shapes.checkSame(a, out);
        Shapes.requireLastAxis(a);
        Rows outRows = new Rows(out);
        forEachRow(a, (r, row, len) -> {
            outRows.seek(r);
            float max = rowMax(row, len);
            double sum = 0;
            for (int j = 0; j < len; j++) sum += Math.exp(row.at(j) - max);
            double logSum = Math.log(sum);
            for (int j = 0; j < len; j++) outRows.put(j, (float) (row.at(j) - max - logSum));
        });
    }

    @Override
    public void layerNorm(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor out) {
        Shapes.checkSame(x, out);
        Shapes.requireLastAxis(x);
        Shapes.checkVector(gamma, x.dim(-1), "gamma");
        Shapes.checkVector(beta, x.dim(-1), "beta");
        Rows outRows = new Rows(out);
        forEachRow(x, (r, row, len) -> {
            outRows.seek(r);
            double mean = 0;
            for (int j = 0; j < len; j++) mean += row.at(j);
            mean /= len;
            double var = 0;
            for (int j = 0; j < len; j++) var += (row.at(j) - mean) * (row.at(j) - mean);
            var /= len;
            double rstd = 1 / Math.sqrt(var + eps);
            for (int j = 0; j < len; j++) {
                double g = gamma == null ? 1 : gamma.get(j), b = beta == null ? 0 : beta.get(j);
                outRows.put(j, (float) ((row.at(j) - mean) * rstd * g + b));
            }
        });
    }

    private static float rowMax(Rows row, int len) {
        float m = row.at(0);
        for (int j = 1; j < len; j++) m = Math.max(m, row.at(j));
        return m;
    }

    // ---- row iteration ------------------------------------------------------------------------------------

    /** A cursor on one row (last axis) of a tensor of any strides, chosen by its row-major row number. */
    private static final class Rows {
        private final Tensor t;
        private final int[] idx;

        Rows(Tensor t) {
            this.t = t;
            this.idx = new int[t.rank()];
        }

        void seek(long row) {
            for (int axis = t.rank() - 2; axis >= 0; axis--) {
                idx[axis] = (int) (row % t.dim(axis));
                row /= t.dim(axis);
            }
        }

        float at(int j) {
            idx[idx.length - 1] = j;
            return t.get(idx);
        }

        void put(int j, float v) {
            idx[idx.length - 1] = j;
            t.set(v, idx);
        }
    }

    private interface RowBody { void accept(long rowNumber, Rows row, int length); }

    private interface RowReduction { double apply(Rows row, int length); }

    private static void forEachRow(Tensor a, RowBody body) {
        Rows row = new Rows(a);
        for (long r = 0, rows = Shapes.rows(a); r < rows; r++) {
            row.seek(r);
            body.accept(r, row, a.dim(-1));
        }
    }

    private static void reduce(Tensor a, Tensor out, RowReduction f) {
        Tensor flatOut = Shapes.reducedView(a, out);
        int[] outIdx = new int[flatOut.rank()];
        forEachRow(a, (r, row, len) -> {
            flatOut.set((float) f.apply(row, len), outIdx);
            Tensor.increment(outIdx, flatOut.shape());
        });
    }

    private static void checkRowCount(Tensor a, int n) {
        if (n != Shapes.rows(a)) {
            throw new IllegalArgumentException("argmax of " + Shapes.rows(a) + " rows into an array of " + n);
        }
    }

    // ---- sequences ----------------------------------------------------------------------------------------

    @Override
    public void maskRows(Tensor x, int[] lengths, Tensor out) {
        Shapes.checkMaskRows(x, lengths, out);
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < x.dim(1); t++) {
                Tensor from = x.select(0, b).select(0, t), to = out.select(0, b).select(0, t);
                boolean keep = t < lengths[b];
                int[] idx = new int[to.rank()];
                for (long i = 0, n = to.size(); i < n; i++) {
                    to.set(keep ? from.get(idx) : 0f, idx);
                    Tensor.increment(idx, to.shape());
                }
            }
        }
    }

    @Override
    public void padRows(Tensor x, int before, Tensor out) {
        Shapes.checkPadRows(x, before, out);
        int[] idx = new int[out.rank()], src = new int[out.rank()];
        for (long i = 0, n = out.size(); i < n; i++) {
            int t = idx[0] - before;
            float v = 0f;
            if (t >= 0 && t < x.dim(0)) {
                System.arraycopy(idx, 0, src, 0, idx.length);
                src[0] = t;
                v = x.get(src);
            }
            out.set(v, idx);
            Tensor.increment(idx, out.shape());
        }
    }

    @Override
    public void frameWindows(Tensor signal, int kernel, int stride, float shift, Tensor out) {
        Shapes.checkFrameWindows(signal, kernel, stride, out);
        for (int t = 0; t < out.dim(0); t++) {
            for (int j = 0; j < kernel; j++) out.set(signal.get(t * stride + j) - shift, t, j);
            if (out.dim(1) > kernel) out.set(1f, t, kernel);
        }
    }
}
