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

    /** State {@code layer} of sequence {@code b}, its valid frames only: a [frames, hidden] view. */
    public Tensor state(int layer, int b) {
        return hiddenStates.select(0, layer).select(0, b).slice(0, 0, frames[b]);
    }
}
