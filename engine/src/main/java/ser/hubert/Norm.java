package ser.hubert;

import ser.tensor.Tensor;

/** A layer norm's parameters; {@link #apply} normalises each row of a [M, N] map in place. */
record Norm(Tensor gamma, Tensor beta, float eps) {

    static Norm load(WeightSource w, String prefix, int n, float eps) {
        return new Norm(w.get(prefix + ".weight", n), w.get(prefix + ".bias", n), eps);
    }

    void apply(Tensor x) {
        Kernels.layerNormRows(x, gamma, beta, eps);
    }

    /** Group norm with one group per channel: each column of a [T, C] map over time. */
    void applyPerColumn(Tensor x) {
        Kernels.normaliseColumns(x, gamma, beta, eps);
    }
}
