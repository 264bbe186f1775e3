package ser.hubert;

import ser.tensor.Tensor;

/**
 * Every hidden state of a batch, in the Hugging Face convention: state 0 is the transformer's input (after the
 * positional conv, and the encoder norm for post-LN models), state L the output of layer L; for pre-LN models
 * the last state carries the final encoder norm.
 *
 * @param hiddenStates [layers + 1, batch, frames, hidden]; frames past a sequence's length are padding
 * @param frames       valid frames of each sequence
 */
public record HubertOutput(Tensor hiddenStates, int[] frames) {

    public int states() { return hiddenStates.dim(0); }

    /** How {@link #embedding} summarises frames. */
    public enum Pool { NONE, MEAN }

    /**
     * Chosen states of sequence {@code b} stacked: [layers, frames, hidden] with {@link Pool#NONE}, or
     * [layers, hidden] averaged over the valid frames with {@link Pool#MEAN}.
     */
    public Tensor embedding(int b, int[] layers, Pool pool) {
        int n = frames[b], d = hiddenStates.dim(3);
        Tensor out = pool == Pool.NONE ? Tensor.zeros(layers.length, n, d) : Tensor.zeros(layers.length, d);
        for (int i = 0; i < layers.length; i++) {
            Tensor state = state(layers[i], b);
            if (pool == Pool.NONE) {
                out.select(0, i).copyFrom(state);
            } else {
                float[] rows = state.toArray();
                double[] sum = new double[d];
                for (int t = 0; t < n; t++) for (int j = 0; j < d; j++) sum[j] += rows[t * d + j];
                for (int j = 0; j < d; j++) out.set(n == 0 ? 0f : (float) (sum[j] / n), i, j);
            }
        }
        return out;
    }

    /** State {@code layer} of sequence {@code b}, its valid frames only: a [frames, hidden] view. */
    public Tensor state(int layer, int b) {
        return hiddenStates.select(0, layer).select(0, b).slice(0, 0, frames[b]);
    }
}
