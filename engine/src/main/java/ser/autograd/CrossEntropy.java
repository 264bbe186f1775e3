package ser.autograd;

import ser.autograd.reference.CrossEntropyReference;
import ser.tensor.Tensor;

/**
 * Softmax cross-entropy with optional class weights and label smoothing, with the semantics of PyTorch's
 * {@code CrossEntropyLoss(weight, label_smoothing)} and mean reduction (see {@link CrossEntropyReference}).
 * Computed in double through the reference: the logits are {@code [batch, classes]}, a few hundred numbers.
 */
public final class CrossEntropy {

    /**
     * Logit gradients below this are set to 0. A confidently right sample has softmax gradients like e^-80; on
     * their way back through the network they shrink into subnormal floats, which x86 multiplies about a hundred
     * times slower (one such batch made a Mel CNN step 50 times slower). No optimiser moves a weight visibly on
     * such a gradient: Adam's step is about lr·g/eps.
     */
    static final double NEGLIGIBLE_GRADIENT = 1e-30;

    private CrossEntropy() {}

    /** The scalar loss of {@code logits[n, c]} for class indices {@code targets[n]}; {@code classWeights} nullable. */
    public static Variable loss(Variable logits, int[] targets, float[] classWeights, double labelSmoothing) {
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
        double[] z = Doubles.of(logits), w = Doubles.of(classWeights);
        Tensor loss = Doubles.tensor(new double[] {CrossEntropyReference.loss(n, c, z, targets, w, labelSmoothing)});
        return Variable.fromOp(loss, g -> {
            double[] grad = CrossEntropyReference.backward(n, c, z, targets, w, labelSmoothing);
            double upstream = g.getFlat(0);
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= upstream;
                if (Math.abs(grad[i]) < NEGLIGIBLE_GRADIENT) grad[i] = 0;
            }
            return new Tensor[] {Doubles.tensor(grad, n, c)};
        }, logits);
    }
}
