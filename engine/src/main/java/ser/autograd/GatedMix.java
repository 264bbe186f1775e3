package ser.autograd;

import ser.autograd.reference.GatedMixReference;
import ser.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code y = σ(z)·a + (1 − σ(z))·b} element-wise ({@link GatedMixReference}): a learned gate choosing, per feature
 * and per example, between two branches' vectors. One op instead of sigmoid, product and sum, so a fusion head
 * keeps three small arrays instead of six.
 */
public final class GatedMix {

    private GatedMix() {}

    public static Variable apply(Variable z, Variable a, Variable b) {
        if (!Arrays.equals(z.shape(), a.shape()) || !Arrays.equals(z.shape(), b.shape())) {
            throw new IllegalArgumentException("gated mix: gate " + z + ", branches " + a + " and " + b + " must agree");
        }
        float[] zs = z.array(), as = a.array(), bs = b.array(), gate = new float[zs.length], y = new float[zs.length];
        for (int i = 0; i < y.length; i++) {
            gate[i] = (float) GatedMixReference.sigmoid(zs[i]);
            y[i] = gate[i] * as[i] + (1 - gate[i]) * bs[i];
        }
        return Variable.fromOp(Tensor.wrap(y, z.shape()), g -> {
            float[] dy = g.heapArray(), dz = new float[y.length], da = new float[y.length], db = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                da[i] = gate[i] * dy[i];
                db[i] = (1 - gate[i]) * dy[i];
                dz[i] = dy[i] * (as[i] - bs[i]) * gate[i] * (1 - gate[i]);
            }
            return new Tensor[] {Tensor.wrap(dz, z.shape()), Tensor.wrap(da, a.shape()), Tensor.wrap(db, b.shape())};
        }, z, a, b);
    }
}
