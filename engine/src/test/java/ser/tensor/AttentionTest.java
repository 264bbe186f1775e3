package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#attention}, blocked with an online softmax in both {@link ScalarOps} (plain) and {@link SimdOps}
 * ({@link FlashAttention}), against the unblocked form HuBERT ran before (scale the queries, one GEMM into the
 * full T × keys scores, softmax, one GEMM) on the same backend, and against attention in double.
 */
class AttentionTest {

    private static final Parallel POOL = new Parallel(2);

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    /** The attention of before: what {@code SelfAttention} did with the scores in a buffer of their own. */
    private static void unblocked(Ops ops, Tensor q, Tensor k, Tensor v, int keys, float scale, Tensor out) {
        Tensor scaled = ops.zeros(q.shape());
        ops.scale(q, scale, scaled);
        Tensor scores = ops.zeros(q.dim(0), keys);
        ops.gemm(1f, scaled, k.slice(0, 0, keys).transpose(0, 1), 0f, scores);
        ops.softmax(scores, scores);
        ops.gemm(1f, scores, v.slice(0, 0, keys), 0f, out);
    }

    private static double[] exact(float[] x, int t, int d, int e, int keys, float scale) {
        int width = 2 * d + e;
        double[] out = new double[t * e];
        for (int i = 0; i < t; i++) {
            double[] s = new double[keys];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keys; j++) {
                for (int c = 0; c < d; c++) s[j] += (double) (scale * x[i * width + c]) * x[j * width + d + c];
                max = Math.max(max, s[j]);
            }
            double sum = 0;
            for (int j = 0; j < keys; j++) sum += s[j] = Math.exp(s[j] - max);
            for (int j = 0; j < keys; j++) {
                for (int c = 0; c < e; c++) out[i * e + c] += s[j] / sum * x[j * width + 2 * d + c];
            }
        }
        return out;
    }

    private static void check(Ops ops, int t, int keys, int d, int e, float spread, long seed) {
        Random random = new Random(seed);
        int width = 2 * d + e;
        float[] x = new float[t * width];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian() * spread;
        // Scores that rise along the keys: every block raises the running maximum, so the rescaling is exercised.
        for (int j = 0; j < t; j++) x[j * width + d] += 0.02f * j * spread;
        Tensor rows = Tensor.wrap(x, t, width);
        Tensor q = rows.slice(1, 0, d), k = rows.slice(1, d, 2 * d), v = rows.slice(1, 2 * d, width);
        float scale = (float) (1 / Math.sqrt(d));
        Tensor blocked = Tensor.zeros(t, e), before = Tensor.zeros(t, e);
        ops.attention(q, k, v, keys, scale, blocked);
        unblocked(ops, q, k, v, keys, scale, before);
        double[] truth = exact(x, t, d, e, keys, scale);
        float[] b = blocked.toArray(), u = before.toArray();
        double vmax = 0;
        for (int i = 2 * d; i < x.length; i += (i % width == width - 1) ? 2 * d + 1 : 1) vmax = Math.max(vmax, Math.abs(x[i]));
        String what = ops.getClass().getSimpleName() + " T " + t + " keys " + keys + " d " + d + " e " + e + " spread " + spread;
        for (int i = 0; i < b.length; i++) {
            // Each output is a convex combination of values: errors relative to the largest value.
            double tol = 2e-6 * vmax * Math.sqrt(keys) + 1e-6 * vmax * d;
            if (!(Math.abs(b[i] - truth[i]) <= tol)) fail(what + " [" + i + "] blocked " + b[i] + ", exact " + truth[i]);
            if (!(Math.abs(b[i] - u[i]) <= 2 * tol)) fail(what + " [" + i + "] blocked " + b[i] + ", unblocked " + u[i]);
        }
    }

    @Test
    void blockedAttentionEqualsTheUnblockedFormOnEveryBackend() {
        for (Ops ops : new Ops[] {new ScalarOps(), new SimdOps(POOL)}) {
            for (int[] tk : new int[][] {{1, 1}, {2, 1}, {7, 7}, {16, 16}, {17, 17}, {48, 40}, {149, 149}, {149, 100},
                    {193, 193}, {385, 384}, {400, 397}}) {
                if (ops instanceof ScalarOps && tk[0] > 200) continue;
                check(ops, tk[0], tk[1], 64, 64, 1f, tk[0] * 31L + tk[1]);
                check(ops, tk[0], tk[1], 64, 64, 4f, tk[0] * 37L + tk[1]); // rows spread past e^-64: zeroed terms
            }
            check(ops, 30, 29, 7, 16, 1f, 3); // a small head, and a value width of one AVX-512 vector
            check(ops, 30, 29, 5, 80, 1f, 4); // five vectors: the four-wide kernel and a one-wide remainder
            check(ops, 30, 29, 5, 3, 1f, 5);  // not whole vectors: the fast backend hands it to the reference
        }
    }

    @Test
    void paddedKeysAreLeftOutAsAnInfiniteMaskWould() {
        Ops ops = new SimdOps(POOL);
        int t = 300, d = 64, keys = 211;
        Random random = new Random(9);
        float[] x = new float[t * 3 * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        Tensor rows = Tensor.wrap(x, t, 3 * d);
        Tensor out = Tensor.zeros(t, d);
        ops.attention(rows.slice(1, 0, d), rows.slice(1, d, 2 * d), rows.slice(1, 2 * d, 3 * d), keys, 0.125f, out);
        // Garbage in the padded keys and values changes nothing.
        float[] y = x.clone();
        for (int j = keys; j < t; j++) for (int c = d; c < 3 * d; c++) y[j * 3 * d + c] = j % 2 == 0 ? 1e30f : Float.NaN;
        Tensor rows2 = Tensor.wrap(y, t, 3 * d), out2 = Tensor.zeros(t, d);
        ops.attention(rows2.slice(1, 0, d), rows2.slice(1, d, 2 * d), rows2.slice(1, 2 * d, 3 * d), keys, 0.125f, out2);
        float[] a = out.toArray(), b = out2.toArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 0f, "element " + i);
        assertTrue(a[0] != 0f);
    }
}
