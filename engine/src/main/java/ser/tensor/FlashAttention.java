package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SimdOps#attention}: one head's attention blocked over keys, flash-style, on the calling thread.
 *
 * <p>The keys' transpose is packed once per call, tile by tile ({@code [d, TILE]} blocks, the last one or two
 * vectors wide if that covers its keys, padded with zero columns), and the values' rows side by side: O(T·d), not T². Then the queries go {@value #ROWS} at a time: their scaled rows in a small buffer,
 * and for each block of {@link #BLOCK} keys (i) their scores, a register-blocked product of {@value #ROWS} rows by
 * three vectors of keys, into a {@value #ROWS} × {@link #BLOCK} buffer that stays in L1; (ii) per row the block's
 * maximum, the running maximum {@code m} raised to it, the running sum {@code l} and the accumulated output
 * rescaled by {@code e^(m_old - m_new)}, and the block's scores turned into {@code e^(s - m)} in place (online
 * softmax, with {@link Exp#expOrZero} as the softmax uses it); (iii) their weighted values added to the
 * {@value #ROWS} × e accumulator, a product of {@value #ROWS} rows by four vectors of the value width. At the end
 * each row is divided by its sum. Nothing T × T is ever held, and each block of kᵀ and v is read from cache
 * once per group of queries.
 *
 * <p>Rows of {@code q}, {@code k}, {@code v} and {@code out} must have unit stride on heap arrays, and the value
 * width be a whole number of vectors ({@link #fits}); the scratch buffers are the calling thread's own and kept.
 */
final class FlashAttention {

    private FlashAttention() {}

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Queries per group: the register tiles are ROWS × 3 vectors (scores) and ROWS × 4 vectors (values). */
    static final int ROWS = 4;
    /** Keys per score tile. */
    private static final int TILE = 3 * L;
    /** Keys per block: whole tiles (192 with AVX-512); {@code -Dser.attention.block=N} rounds N to tiles. */
    static final int BLOCK = Math.max(1, Integer.getInteger("ser.attention.block", 4 * TILE) / TILE) * TILE;

    private static final class Scratch {
        float[] kt = new float[0], vp = new float[0], qs = new float[0], s = new float[ROWS * BLOCK], acc = new float[0];
        final float[] m = new float[ROWS], l = new float[ROWS];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static boolean fits(Tensor q, Tensor k, Tensor v, Tensor out) {
        for (Tensor t : new Tensor[] {q, k, v, out}) {
            if (t.heapArray() == null || t.stride(1) != 1 || t.stride(0) > Integer.MAX_VALUE) return false;
        }
        return v.dim(1) % L == 0 && v.dim(1) > 0 && q.dim(1) > 0;
    }

    static void run(Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        int queries = q.dim(0), d = q.dim(1), e = v.dim(1);
        Scratch w = SCRATCH.get();
        int padded = (keys + L - 1) / L * L; // the last tile is one or two vectors wide when that covers its keys
        if (w.kt.length < d * padded) w.kt = new float[d * padded];
        if (w.vp.length < keys * e) w.vp = new float[keys * e];
        if (w.qs.length < ROWS * d) w.qs = new float[ROWS * d];
        if (w.acc.length < ROWS * e) w.acc = new float[ROWS * e];
        float[] kt = w.kt, vp = w.vp, qs = w.qs, s = w.s, acc = w.acc, m = w.m, l = w.l;
        float[] qa = q.heapArray(), ka = k.heapArray(), va = v.heapArray(), oa = out.heapArray();
        int qo = q.heapOffset(), ko = k.heapOffset(), vo = v.heapOffset(), oo = out.heapOffset();
        int qStride = (int) q.stride(0), kStride = (int) k.stride(0), vStride = (int) v.stride(0), oStride = (int) out.stride(0);

        // kᵀ tile by tile, each tile a contiguous [d, TILE] block, and v's rows side by side: the kernels then read
        // both as sequential streams. Read in place, rows 9 KB apart (a fused projection's) map to a few cache
        // sets and evict each other (measured: the blocked form at 1,499 keys 0.77x the unblocked one).
        for (int j = 0; j < keys; j++) {
            int row = ko + j * kStride, start = j / TILE * TILE, width = Math.min(TILE, padded - start);
            int at = start * d + j - start;
            for (int c = 0; c < d; c++) kt[at + c * width] = ka[row + c];
            System.arraycopy(va, vo + j * vStride, vp, j * e, e);
        }
        for (int j = keys; j < padded; j++) {
            int start = j / TILE * TILE, width = Math.min(TILE, padded - start), at = start * d + j - start;
            for (int c = 0; c < d; c++) kt[at + c * width] = 0f;
        }

        for (int r0 = 0; r0 < queries; r0 += ROWS) {
            int rows = Math.min(ROWS, queries - r0);
            for (int r = 0; r < ROWS; r++) {
                if (r < rows) {
                    int row = qo + (r0 + r) * qStride;
                    for (int c = 0; c < d; c++) qs[r * d + c] = scale * qa[row + c];
                } else {
                    java.util.Arrays.fill(qs, r * d, (r + 1) * d, 0f);
                }
                m[r] = Float.NEGATIVE_INFINITY;
                l[r] = 0f;
            }
            java.util.Arrays.fill(acc, 0, ROWS * e, 0f);
            for (int from = 0; from < keys; from += BLOCK) {
                int n = Math.min(BLOCK, keys - from);
                for (int t = 0; t < n; t += TILE) {
                    int tile = (from + t) * d, width = Math.min(TILE, padded - from - t);
                    if (width == TILE) scores(qs, d, kt, tile, s, t);
                    else for (int x = 0; x < width; x += L) scores1(qs, d, kt, tile + x, width, s, t + x);
                }
                for (int r = 0; r < rows; r++) {
                    int so = r * BLOCK;
                    float next = Math.max(m[r], VectorKernels.max(s, so, n));
                    float rescale = m[r] == Float.NEGATIVE_INFINITY ? 0f : expOrZero(m[r] - next);
                    float sum = VectorKernels.expShiftedSum(s, so, next, s, so, n);
                    l[r] = l[r] * rescale + sum;
                    if (rescale != 1f) VectorKernels.scale(acc, r * e, rescale, acc, r * e, e);
                    m[r] = next;
                }
                // Rows past the last query hold scores of zero queries; their sums are never read.
                int c = 0;
                for (; c + 4 * L <= e; c += 4 * L) values4(s, n, vp, from * e + c, e, acc, c, e);
                for (; c < e; c += L) values1(s, n, vp, from * e + c, e, acc, c, e);
            }
            for (int r = 0; r < rows; r++) {
                VectorKernels.scale(acc, r * e, 1f / l[r], oa, oo + (r0 + r) * oStride, e);
            }
        }
    }

    private static float expOrZero(float x) {
        return x < Exp.NEGLIGIBLE ? 0f : Exp.exp(x);
    }

    /** {@code s[r·BLOCK + so + j] = Σ_c qs[r·d + c] · kt[tile + c·TILE + j]} for ROWS rows and one tile of keys. */
    private static void scores(float[] qs, int d, float[] kt, int tile, float[] s, int so) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00,
                c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int c = 0, b = tile; c < d; c++, b += TILE) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, kt, b), b1 = FloatVector.fromArray(SPECIES, kt, b + L),
                    b2 = FloatVector.fromArray(SPECIES, kt, b + 2 * L);
            FloatVector a = FloatVector.broadcast(SPECIES, qs[c]);
            c00 = b0.fma(a, c00); c01 = b1.fma(a, c01); c02 = b2.fma(a, c02);
            a = FloatVector.broadcast(SPECIES, qs[d + c]);
            c10 = b0.fma(a, c10); c11 = b1.fma(a, c11); c12 = b2.fma(a, c12);
            a = FloatVector.broadcast(SPECIES, qs[2 * d + c]);
            c20 = b0.fma(a, c20); c21 = b1.fma(a, c21); c22 = b2.fma(a, c22);
            a = FloatVector.broadcast(SPECIES, qs[3 * d + c]);
            c30 = b0.fma(a, c30); c31 = b1.fma(a, c31); c32 = b2.fma(a, c32);
        }
        c00.intoArray(s, so); c01.intoArray(s, so + L); c02.intoArray(s, so + 2 * L);
        c10.intoArray(s, BLOCK + so); c11.intoArray(s, BLOCK + so + L); c12.intoArray(s, BLOCK + so + 2 * L);
        c20.intoArray(s, 2 * BLOCK + so); c21.intoArray(s, 2 * BLOCK + so + L); c22.intoArray(s, 2 * BLOCK + so + 2 * L);
        c30.intoArray(s, 3 * BLOCK + so); c31.intoArray(s, 3 * BLOCK + so + L); c32.intoArray(s, 3 * BLOCK + so + 2 * L);
    }

    /** {@link #scores} for one vector of keys, in a last tile whose rows are {@code width} wide. */
    private static void scores1(float[] qs, int d, float[] kt, int at, int width, float[] s, int so) {
        FloatVector c0 = FloatVector.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0;
        for (int c = 0, b = at; c < d; c++, b += width) {
            FloatVector k = FloatVector.fromArray(SPECIES, kt, b);
            c0 = k.fma(FloatVector.broadcast(SPECIES, qs[c]), c0);
            c1 = k.fma(FloatVector.broadcast(SPECIES, qs[d + c]), c1);
            c2 = k.fma(FloatVector.broadcast(SPECIES, qs[2 * d + c]), c2);
            c3 = k.fma(FloatVector.broadcast(SPECIES, qs[3 * d + c]), c3);
        }
        c0.intoArray(s, so); c1.intoArray(s, BLOCK + so); c2.intoArray(s, 2 * BLOCK + so); c3.intoArray(s, 3 * BLOCK + so);
    }

    /** {@code acc[r·e + c + ·] += Σ_j p[r·BLOCK + j] · v[vo + j·vStride + ·]} for ROWS rows and 4 vectors of width. */
    private static void values4(float[] p, int n, float[] v, int vo, int vStride, float[] acc, int c, int e) {
        FloatVector a00 = FloatVector.fromArray(SPECIES, acc, c), a01 = FloatVector.fromArray(SPECIES, acc, c + L),
                a02 = FloatVector.fromArray(SPECIES, acc, c + 2 * L), a03 = FloatVector.fromArray(SPECIES, acc, c + 3 * L);
        FloatVector a10 = FloatVector.fromArray(SPECIES, acc, e + c), a11 = FloatVector.fromArray(SPECIES, acc, e + c + L),
                a12 = FloatVector.fromArray(SPECIES, acc, e + c + 2 * L), a13 = FloatVector.fromArray(SPECIES, acc, e + c + 3 * L);
        FloatVector a20 = FloatVector.fromArray(SPECIES, acc, 2 * e + c), a21 = FloatVector.fromArray(SPECIES, acc, 2 * e + c + L),
                a22 = FloatVector.fromArray(SPECIES, acc, 2 * e + c + 2 * L), a23 = FloatVector.fromArray(SPECIES, acc, 2 * e + c + 3 * L);
        FloatVector a30 = FloatVector.fromArray(SPECIES, acc, 3 * e + c), a31 = FloatVector.fromArray(SPECIES, acc, 3 * e + c + L),
                a32 = FloatVector.fromArray(SPECIES, acc, 3 * e + c + 2 * L), a33 = FloatVector.fromArray(SPECIES, acc, 3 * e + c + 3 * L);
        for (int j = 0, row = vo; j < n; j++, row += vStride) {
            FloatVector v0 = FloatVector.fromArray(SPECIES, v, row), v1 = FloatVector.fromArray(SPECIES, v, row + L),
                    v2 = FloatVector.fromArray(SPECIES, v, row + 2 * L), v3 = FloatVector.fromArray(SPECIES, v, row + 3 * L);
            FloatVector w = FloatVector.broadcast(SPECIES, p[j]);
            a00 = v0.fma(w, a00); a01 = v1.fma(w, a01); a02 = v2.fma(w, a02); a03 = v3.fma(w, a03);
            w = FloatVector.broadcast(SPECIES, p[BLOCK + j]);
            a10 = v0.fma(w, a10); a11 = v1.fma(w, a11); a12 = v2.fma(w, a12); a13 = v3.fma(w, a13);
            w = FloatVector.broadcast(SPECIES, p[2 * BLOCK + j]);
            a20 = v0.fma(w, a20); a21 = v1.fma(w, a21); a22 = v2.fma(w, a22); a23 = v3.fma(w, a23);
            w = FloatVector.broadcast(SPECIES, p[3 * BLOCK + j]);
            a30 = v0.fma(w, a30); a31 = v1.fma(w, a31); a32 = v2.fma(w, a32); a33 = v3.fma(w, a33);
        }
        a00.intoArray(acc, c); a01.intoArray(acc, c + L); a02.intoArray(acc, c + 2 * L); a03.intoArray(acc, c + 3 * L);
        a10.intoArray(acc, e + c); a11.intoArray(acc, e + c + L); a12.intoArray(acc, e + c + 2 * L); a13.intoArray(acc, e + c + 3 * L);
        a20.intoArray(acc, 2 * e + c); a21.intoArray(acc, 2 * e + c + L); a22.intoArray(acc, 2 * e + c + 2 * L); a23.intoArray(acc, 2 * e + c + 3 * L);
        a30.intoArray(acc, 3 * e + c); a31.intoArray(acc, 3 * e + c + L); a32.intoArray(acc, 3 * e + c + 2 * L); a33.intoArray(acc, 3 * e + c + 3 * L);
    }

    /** {@link #values4} for one vector of width. */
    private static void values1(float[] p, int n, float[] v, int vo, int vStride, float[] acc, int c, int e) {
        FloatVector a0 = FloatVector.fromArray(SPECIES, acc, c), a1 = FloatVector.fromArray(SPECIES, acc, e + c),
                a2 = FloatVector.fromArray(SPECIES, acc, 2 * e + c), a3 = FloatVector.fromArray(SPECIES, acc, 3 * e + c);
        for (int j = 0, row = vo; j < n; j++, row += vStride) {
            FloatVector x = FloatVector.fromArray(SPECIES, v, row);
            a0 = x.fma(FloatVector.broadcast(SPECIES, p[j]), a0);
            a1 = x.fma(FloatVector.broadcast(SPECIES, p[BLOCK + j]), a1);
            a2 = x.fma(FloatVector.broadcast(SPECIES, p[2 * BLOCK + j]), a2);
            a3 = x.fma(FloatVector.broadcast(SPECIES, p[3 * BLOCK + j]), a3);
        }
        a0.intoArray(acc, c); a1.intoArray(acc, e + c); a2.intoArray(acc, 2 * e + c); a3.intoArray(acc, 3 * e + c);
    }
}
