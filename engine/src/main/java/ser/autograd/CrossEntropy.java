package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/**
 * Softmax cross-entropy with optional class weights and label smoothing, with the semantics of PyTorch's
 * {@code CrossEntropyLoss(weight, label_smoothing)} and mean reduction (see
 * {@link ser.autograd.reference.CrossEntropyReference}), on the given backend ({@link TrainingOps#crossEntropyForward}).
 * The SIMD kernels set logit gradients below 1e-30 to zero: on their way back through the network they would
 * shrink into subnormal floats, which x86 multiplies about a hundred times slower.
 */
public final class CrossEntropy {

    private CrossEntropy() {}

    /** The scalar loss of {@code logits[n, c]} for class indices {@code targets[n]}; {@code classWeights} nullable. */
    public static Variable loss(TrainingOps ops, Variable logits, int[] targets, float[] classWeights,
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
        Tensor z = logits.data();
        float loss = ops.crossEntropyForward(n, c, z, targets, classWeights, labelSmoothing);
        return Variable.fromOp(ops, ops.upload(Tensor.wrap(new float[] {loss})), g -> {
            Tensor dz = ops.zeros(n, c);
            ops.crossEntropyBackward(n, c, z, targets, classWeights, labelSmoothing, ops.download(g).getFlat(0), dz);
            return new Tensor[] {dz};
        }, logits);
    }
}
