package ser.infer;

import ser.autograd.GradMode;
import ser.autograd.Variable;
import ser.model.Model;
import ser.tensor.Tensor;
import java.util.Arrays;

/** A model's class scores for many inputs, in inference mode (running statistics, no dropout, no graph). */
public final class Inference {

    private Inference() {}

    /** Logits {@code [n][classes]} of {@code inputs} (each one example of the model's input shape), in batches. */
    public static float[][] logits(Model model, float[][] inputs, int batchSize) {
        int[] shape = model.inputShape();
        int size = Math.toIntExact(Tensor.count(shape));
        float[][] out = new float[inputs.length][];
        model.eval();
        try (var off = GradMode.noGrad()) {
            for (int from = 0; from < inputs.length; from += batchSize) {
                int n = Math.min(batchSize, inputs.length - from);
                float[] x = new float[n * size];
                for (int i = 0; i < n; i++) System.arraycopy(inputs[from + i], 0, x, i * size, size);
                int[] batchShape = new int[shape.length + 1];
                batchShape[0] = n;
                System.arraycopy(shape, 0, batchShape, 1, shape.length);
                float[] y = model.forward(Variable.constant(Tensor.wrap(x, batchShape))).array();
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
