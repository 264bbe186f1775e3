package ser.autograd;

import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/**
 * Softmax cross-entropy with optional class weights and label smoothing, with the semantics of PyTorch's
 * {@code CrossEntropyLoss(weight, label_smoothing)} and mean reduction (see
 * {@link ser.autograd.reference.CrossEntropyReference}), on the given kernels ({@link Kernels#crossEntropyForward}).
 * The SIMD kernels set logit gradients below 1e-30 to zero: on their way back through the network they would
 * shrink into subnormal floats, which x86 multiplies about a hundred times slower.
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /** The scalar loss of {@code logits[n, c]} for class indices {@code targets[n]}; {@code classWeights} nullable. */
    public static Variable loss(Kernels kernels, Variable logits, int[] targets, float[] classWeights,
                                double labelSmoothing) {
        if (logits.shape().length != 2 || logits.dim(0) != targets.length) {
            throw new IllegalArgumentException("cross-entropy of logits " + logits + " for " + targets.length + " targets");
        }
        int n = logits.dim(0), c = logits.dim(1);
        for (int y : targets) {
            if (y < 0 || y >= c) throw new IllegalArgumentException("target class " + y + " outside [0, " + c + ")");
        }
        if (classWeights != null && classWeights.length != c) {
            throw new IllegalArgumentException(classWeights.length + " class weights for " + c + " classes");
        }
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        float[] z = logits.array();
        float loss = kernels.crossEntropyForward(n, c, z, targets, classWeights, labelSmoothing);
        return Variable.fromOp(Tensor.wrap(new float[] {loss}), g -> {
            float[] dz = new float[n * c];
            kernels.crossEntropyBackward(n, c, z, targets, classWeights, labelSmoothing, g.getFlat(0), dz);
            return new Tensor[] {Tensor.wrap(dz, n, c)};
        }, logits);
    }
}
