package ser.model;

import ser.autograd.GradMode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A model's class scores for many inputs, in inference mode (running statistics, no dropout, no graph). */
public final class Inference {

    private Inference() {}

    /** Logits {@code [n][classes]} of {@code inputs} (each one example of a one-input model's shape), in batches. */
    public static float[][] logits(Model model, float[][] inputs, int batchSize) {
        return logits(model, Map.of(model.inputShapes().keySet().iterator().next(), Arrays.asList(inputs)), batchSize);
    }

    /** Logits {@code [n][classes]} of named inputs (per name, one array per example), in batches. */
    public static float[][] logits(Model model, Map<String, List<float[]>> inputs, int batchSize) {
        Map<String, int[]> shapes = model.inputShapes();
        int count = inputs.values().iterator().next().size();
        float[][] out = new float[count][];
        model.eval();
        try (var off = GradMode.noGrad()) {
            for (int from = 0; from < count; from += batchSize) {
                int n = Math.min(batchSize, count - from);
                Map<String, InputBatch> batch = new LinkedHashMap<>();
                for (var e : inputs.entrySet()) {
                    int[] shape = shapes.get(e.getKey());
                    if (shape == null) throw new IllegalArgumentException("the model has no input '" + e.getKey() + "'");
                    batch.put(e.getKey(), InputBatch.stack(shape, e.getValue().subList(from, from + n)));
                }
                float[] y = model.forward(batch).hostData().heapArray();
                int c = y.length / n;
                for (int i = 0; i < n; i++) out[from + i] = Arrays.copyOfRange(y, i * c, (i + 1) * c);
            }
        }
        return out;
    }

    /** Softmax of one row of logits, in double for a stable sum. */
    public static double[] probabilities(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) max = Math.max(max, z);
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp(logits[i] - max);
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** The index of the largest value (the first on ties, as torch.argmax). */
    public static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /** Mean cross-entropy of logits against class indices, in double. */
    public static double crossEntropy(float[][] logits, int[] labels) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) sum -= Math.log(Math.max(probabilities(logits[i])[labels[i]], 1e-300));
        return sum / logits.length;
    }
}
