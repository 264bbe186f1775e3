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
    void apply(Ops ops, Tensor out, Tensor x) {
        ops.layerNorm(x, gamma, beta, eps, out);
    }

    /**
     * Group norm with one group per channel, in place: each column of a [T, C] map normalised over time, as
     * GroupNorm(C, C) treats the first conv's [C, T] output in the reference. Column sums are GEMMs against a
     * row of ones, so the whole norm stays on the {@link Ops} seam and runs along unit-stride rows.
     */
    void applyPerColumn(Ops ops, Tensor x) {
        int t = x.dim(0), c = x.dim(1);
        float[] weights = new float[t];
        Arrays.fill(weights, 1f / t);
        Tensor average = Tensor.wrap(weights, 1, t);
        Tensor mean = Tensor.zeros(1, c), variance = Tensor.zeros(1, c), centred = Tensor.zeros(t, c);
        ops.gemm(1f, average, x, 0f, mean);
        ops.sub(x, mean, centred);
        ops.mul(centred, centred, x);
        ops.gemm(1f, average, x, 0f, variance);
        Tensor scale = Tensor.zeros(c);
        for (int j = 0; j < c; j++) scale.setFlat(j, (float) (gamma.getFlat(j) / Math.sqrt(variance.getFlat(j) + eps)));
        ops.mul(centred, scale, x);
        ops.add(x, beta, x);
    }
}
