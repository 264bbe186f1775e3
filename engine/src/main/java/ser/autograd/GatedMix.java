package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code y = σ(z)·a + (1 − σ(z))·b} element-wise ({@link ser.autograd.reference.GatedMixReference}): a learned gate choosing, per feature
 * and per example, between two branches' vectors. One op instead of sigmoid, product and sum, so a fusion head
 * keeps three small arrays instead of six.
 */
public final class GatedMix {

    private GatedMix() {}

    public static Variable apply(TrainingOps ops, Variable z, Variable a, Variable b) {
        if (!Arrays.equals(z.shape(), a.shape()) || !Arrays.equals(z.shape(), b.shape())) {
            throw new IllegalArgumentException("gated mix: gate " + z + ", branches " + a + " and " + b + " must agree");
        }
        Tensor gate = ops.zeros(z.shape()), y = ops.zeros(z.shape());
        ops.gatedMixForward(z.data(), a.data(), b.data(), gate, y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dz = ops.zeros(z.shape()), da = ops.zeros(a.shape()), db = ops.zeros(b.shape());
            ops.gatedMixBackward(gate, a.data(), b.data(), g, dz, da, db);
            return new Tensor[] {dz, da, db};
        }, z, a, b);
    }
}
