package ser.hubert;

import ser.tensor.Ops;
import ser.tensor.Tensor;

import java.util.Arrays;

/** A layer or group norm's parameters. */
record Norm(Tensor gamma, Tensor beta, float eps) {

    static Norm load(WeightSource w, String prefix, int n, float eps) {
        return new Norm(w.get(prefix + ".weight", n), w.get(prefix + ".bias", n), eps);
    }

    /** Layer norm of each row of a [M, N] map, in place. */
    void apply(Ops ops, Tensor x) {
        ops.layerNorm(x, gamma, beta, eps, x);
    }

    /** {@code out = layerNorm(x)} row by row. */
    void apply(Ops ops, Tensor x, Tensor out) {
        ops.layerNorm(x, gamma, beta, eps, out);
    }

    /** Rows squared at a time while summing variances: bounds the scratch to a few MB for long clips. */
    private static final int CHUNK_ROWS = 2048;

    /**
     * Group norm with one group per channel, in place: each column of a [T, C] map normalised over time, as
     * GroupNorm(C, C) treats the first conv's [C, T] output in the reference. Column sums are GEMMs against a
     * row of 1/T, so the whole norm stays on the {@link Ops} seam and runs along unit-stride rows.
     */
    void applyPerColumn(Ops ops, Tensor x) {
        int t = x.dim(0), c = x.dim(1);
        float[] weights = new float[Math.min(t, CHUNK_ROWS)];
        Arrays.fill(weights, 1f / t);
        Tensor average = Tensor.wrap(weights, 1, weights.length);
        Tensor mean = Tensor.zeros(1, c), variance = Tensor.zeros(1, c);
        for (int r = 0; r < t; r += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, t - r);
            ops.gemm(1f, average.slice(1, 0, rows), x.slice(0, r, r + rows), 1f, mean);
        }
        ops.sub(x, mean, x);
        Tensor squares = Tensor.zeros(Math.min(t, CHUNK_ROWS), c);
        for (int r = 0; r < t; r += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, t - r);
            Tensor sq = squares.slice(0, 0, rows);
            ops.mul(x.slice(0, r, r + rows), x.slice(0, r, r + rows), sq);
            ops.gemm(1f, average.slice(1, 0, rows), sq, 1f, variance);
        }
        Tensor scale = Tensor.zeros(c);
        for (int j = 0; j < c; j++) scale.setFlat(j, (float) (gamma.getFlat(j) / Math.sqrt(variance.getFlat(j) + eps)));
        ops.mul(x, scale, x);
        ops.add(x, beta, x);
    }
}
