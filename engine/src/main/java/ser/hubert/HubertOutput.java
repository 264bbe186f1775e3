package ser.hubert;

import ser.tensor.Tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Hidden states of a batch, in the Hugging Face convention: state 0 is the transformer's input (after the
 * positional conv, and the encoder norm for post-LN models), state L the output of layer L; for pre-LN models
 * the last state carries the final encoder norm. All of them, or those a caller asked for.
 *
 * @param hiddenStates [kept states, batch, frames, hidden]; frames past a sequence's length are padding
 * @param frames       valid frames of each sequence
 * @param kept         the state that each row of {@code hiddenStates} holds
 */
public record HubertOutput(Tensor hiddenStates, int[] frames, int[] kept) {

    /** Every state, 0 .. layers, in order. */
    public HubertOutput(Tensor hiddenStates, int[] frames) {
        this(hiddenStates, frames, IntStream.range(0, hiddenStates.dim(0)).toArray());
    }

    public HubertOutput {
        if (kept.length != hiddenStates.dim(0)) {
            throw new IllegalArgumentException(kept.length + " state numbers for " + hiddenStates.dim(0) + " states");
        }
    }

    /** How many states this output holds. */
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
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] == layer) return hiddenStates.select(0, i).select(0, b).slice(0, 0, frames[b]);
        }
        throw new IllegalArgumentException("hidden state " + layer + " was not kept (kept: " + Arrays.toString(kept) + ")");
    }
}
