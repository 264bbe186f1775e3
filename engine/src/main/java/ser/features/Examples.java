package ser.features;

import ser.data.Utterance;
import ser.model.InputBatch;
import ser.model.ModelSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One part of a split: per utterance its model inputs (already normalised, flattened, one array per named input)
 * and its class index.
 *
 * @param inputs per input name, one array per utterance: held in memory, or read from the feature cache as the
 *               list is read (inputs too large for the heap, see {@link FeatureStore})
 * @param shapes per input name, one example's shape; {@code -1} marks frames that vary per utterance
 * @param deferred per input name, the log-Mel inputs held as raw decibels: whoever batches them augments them
 *                 and then normalises each example ({@link SpectrogramInput#normalize}); empty when every input is
 *                 ready to use
 */
public record Examples(List<Utterance> utterances, Map<String, List<float[]>> inputs, Map<String, int[]> shapes, int[] labels,
                       Map<String, SpectrogramInput> deferred) {

    public Examples(List<Utterance> utterances, Map<String, List<float[]>> inputs, Map<String, int[]> shapes, int[] labels) {
        this(utterances, inputs, shapes, labels, Map.of());
    }

    public Examples {
        deferred = Map.copyOf(deferred);
        utterances = List.copyOf(utterances);
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        if (!inputs.keySet().equals(shapes.keySet())) throw new IllegalArgumentException("inputs " + inputs.keySet() + ", shapes " + shapes.keySet());
        for (List<float[]> x : inputs.values()) {
            if (x.size() != utterances.size()) {
                throw new IllegalArgumentException(utterances.size() + " utterances, " + x.size() + " inputs");
            }
        }
        if (labels.length != utterances.size()) {
            throw new IllegalArgumentException(utterances.size() + " utterances, " + labels.length + " labels");
        }
    }

    /** The examples of a model with one input. */
    public static Examples single(List<Utterance> utterances, float[][] inputs, int[] labels, int[] shape) {
        return new Examples(utterances, Map.of(ModelSpec.SINGLE_INPUT, Arrays.asList(inputs)), Map.of(ModelSpec.SINGLE_INPUT, shape), labels);
    }

    public int size() {
        return labels.length;
    }

    /** Examples {@code order[from, to)} of every input, stacked (and padded where frames vary) into batches. */
    public Map<String, InputBatch> batch(int[] order, int from, int to) {
        Map<String, InputBatch> out = new LinkedHashMap<>();
        inputs.forEach((name, x) -> {
            List<float[]> chosen = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) chosen.add(x.get(order[i]));
            out.put(name, InputBatch.stack(shapes.get(name), chosen));
        });
        return out;
    }

    /** How many examples each class has. */
    public long[] classCounts(int classes) {
        long[] counts = new long[classes];
        for (int y : labels) counts[y]++;
        return counts;
    }
}
