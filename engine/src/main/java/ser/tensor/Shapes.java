package ser.tensor;

import java.util.Arrays;

/**
 * Shape rules shared by every backend, so that all of them accept and reject exactly the same calls: public for the
 * backends of other modules (the CUDA backend), not for model code.
 */
public final class Shapes {

    private Shapes() {}

    /** The NumPy broadcast of two shapes: trailing axes line up, size 1 stretches, missing leading axes count as 1. */
    public static int[] broadcast(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 1; i <= rank; i++) {
            int da = i <= a.length ? a[a.length - i] : 1;
            int db = i <= b.length ? b[b.length - i] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[rank - i] = da == 1 ? db : da;
        }
        return out;
    }

    /** {@code out} must have exactly the broadcast shape of {@code a} and {@code b}. */
    public static void checkBinary(Tensor a, Tensor b, Tensor out) {
        int[] expected = broadcast(a.shape(), b.shape());
        if (!Arrays.equals(expected, out.shape())) {
            throw new IllegalArgumentException("output " + Arrays.toString(out.shape()) + " for inputs "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + ", expected "
                    + Arrays.toString(expected));
        }
    }

    public static void checkSame(Tensor a, Tensor out) {
        if (!Arrays.equals(a.shape(), out.shape())) {
            throw new IllegalArgumentException("output " + Arrays.toString(out.shape()) + " for input "
                    + Arrays.toString(a.shape()));
        }
    }

    /**
     * A reduction over the last axis writes one value per row: {@code out} has {@code a}'s shape without the last
     * axis, or with the last axis set to 1. Returns {@code out} as the rank {@code a.rank() - 1} view.
     */
    public static Tensor reducedView(Tensor a, Tensor out) {
        requireLastAxis(a);
        int[] rows = Arrays.copyOf(a.shape(), a.rank() - 1);
        if (Arrays.equals(rows, out.shape())) return out;
        int[] keep = a.shape();
        keep[keep.length - 1] = 1;
        if (Arrays.equals(keep, out.shape())) return out.select(-1, 0);
        throw new IllegalArgumentException("reduction of " + Arrays.toString(a.shape()) + " over its last axis into "
                + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(rows) + " or "
                + Arrays.toString(keep));
    }

    public static void requireLastAxis(Tensor a) {
        if (a.rank() == 0 || a.dim(-1) == 0) {
            throw new IllegalArgumentException("needs a non-empty last axis, got " + Arrays.toString(a.shape()));
        }
    }

    /** A vector of length {@code n} (or {@code null}): the gamma and beta of a layer norm. */
    public static void checkVector(Tensor v, int n, String what) {
        if (v != null && (v.rank() != 1 || v.dim(0) != n)) {
            throw new IllegalArgumentException(what + " " + Arrays.toString(v.shape()) + " for rows of " + n);
        }
    }

    /** Rows (all axes but the last) of {@code a}, as a count. */
    public static long rows(Tensor a) {
        return a.size() / a.dim(-1);
    }

    /** {@code c[M,N] = a[M,K] · b[K,N]}: checks the ranks and the inner and outer dimensions. */
    public static void checkGemm(Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2 || a.dim(1) != b.dim(0) || c.dim(0) != a.dim(0)
                || c.dim(1) != b.dim(1)) {
            throw new IllegalArgumentException("gemm of " + Arrays.toString(a.shape()) + " by "
                    + Arrays.toString(b.shape()) + " into " + Arrays.toString(c.shape()));
        }
    }

    /** {@link Ops#attention}: q [Tq, d], k [Tk, d], v [Tk, e], out [Tq, e], 1 ≤ keys ≤ Tk. */
    public static void checkAttention(Tensor q, Tensor k, Tensor v, int keys, Tensor out) {
        if (q.rank() != 2 || k.rank() != 2 || v.rank() != 2 || out.rank() != 2 || q.dim(1) != k.dim(1)
                || k.dim(0) != v.dim(0) || out.dim(0) != q.dim(0) || out.dim(1) != v.dim(1)) {
            throw new IllegalArgumentException("attention of q " + Arrays.toString(q.shape()) + ", k "
                    + Arrays.toString(k.shape()) + ", v " + Arrays.toString(v.shape()) + " into " + Arrays.toString(out.shape()));
        }
        if (keys < 1 || keys > k.dim(0)) throw new IllegalArgumentException(keys + " keys outside 1.." + k.dim(0));
    }

    /** {@link Ops#multiHeadAttention}: qkv [B·T, 3·D], out [B·T, D], heads dividing D, each key count in 1..T. */
    public static void checkMultiHeadAttention(Tensor qkv, int[] keys, int heads, Tensor out) {
        if (qkv.rank() != 2 || out.rank() != 2 || keys.length == 0 || heads < 1 || out.dim(1) % heads != 0
                || qkv.dim(1) != 3 * out.dim(1) || qkv.dim(0) != out.dim(0) || qkv.dim(0) % keys.length != 0) {
            throw new IllegalArgumentException("multi-head attention of qkv " + Arrays.toString(qkv.shape()) + " into "
                    + Arrays.toString(out.shape()) + " for " + keys.length + " sequences and " + heads + " heads");
        }
        int steps = qkv.dim(0) / keys.length;
        for (int k : keys) {
            if (k < 1 || k > steps) throw new IllegalArgumentException(k + " keys outside 1.." + steps);
        }
    }

    /** {@link Ops#maskRows}: x and out of one shape [B, T, ...], one length in 0..T per sequence. */
    public static void checkMaskRows(Tensor x, int[] lengths, Tensor out) {
        checkSame(x, out);
        if (x.rank() < 2) throw new IllegalArgumentException("maskRows of " + x + ": needs [B, T, ...]");
        if (lengths.length != x.dim(0)) {
            throw new IllegalArgumentException(lengths.length + " lengths for " + x.dim(0) + " sequences");
        }
        for (int n : lengths) {
            if (n < 0 || n > x.dim(1)) throw new IllegalArgumentException("length " + n + " outside 0.." + x.dim(1));
        }
    }

    /** {@link Ops#padRows}: out [R, ...] with x's trailing axes and room for x's rows after {@code before}. */
    public static void checkPadRows(Tensor x, int before, Tensor out) {
        if (x.rank() < 1 || x.rank() != out.rank()) {
            throw new IllegalArgumentException("padRows of " + x + " into " + out + ": ranks differ");
        }
        for (int a = 1; a < x.rank(); a++) {
            if (x.dim(a) != out.dim(a)) throw new IllegalArgumentException("padRows of " + x + " into " + out);
        }
        if (before < 0 || before + (long) x.dim(0) > out.dim(0)) {
            throw new IllegalArgumentException(x.dim(0) + " rows after " + before + " do not fit in " + out);
        }
    }

    /** {@link Ops#frameWindows}: a [n] signal, out [frames, kernel] or [frames, kernel + 1], every window inside. */
    public static void checkFrameWindows(Tensor signal, int kernel, int stride, Tensor out) {
        if (signal.rank() != 1 || out.rank() != 2) {
            throw new IllegalArgumentException("frameWindows of " + signal + " into " + out + ": needs [n] and [frames, k]");
        }
        if (kernel < 1 || stride < 1 || (out.dim(1) != kernel && out.dim(1) != kernel + 1)) {
            throw new IllegalArgumentException("frameWindows of kernel " + kernel + ", stride " + stride + " into " + out);
        }
        if (out.dim(0) > 0 && (long) (out.dim(0) - 1) * stride + kernel > signal.dim(0)) {
            throw new IllegalArgumentException(out.dim(0) + " windows of " + kernel + " every " + stride
                    + " run past a signal of " + signal.dim(0));
        }
    }
}
