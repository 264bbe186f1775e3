package ser.train;

import ser.data.Utterance;

import java.util.Arrays;
import java.util.List;

/**
 * One part of a split held in memory: per utterance its model input (already normalised, flattened
 * {@code shape}) and its class index.
 */
public record Examples(List<Utterance> utterances, float[][] inputs, int[] labels, int[] shape) {

    public Examples {
        utterances = List.copyOf(utterances);
        if (inputs.length != utterances.size() || labels.length != utterances.size()) {
            throw new IllegalArgumentException(utterances.size() + " utterances, " + inputs.length + " inputs, "
                    + labels.length + " labels");
        }
    }

    public int size() {
        return inputs.length;
    }

    public int inputSize() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /** How many examples each class has. */
    public long[] classCounts(int classes) {
        long[] counts = new long[classes];
        for (int y : labels) counts[y]++;
        return counts;
    }
}
