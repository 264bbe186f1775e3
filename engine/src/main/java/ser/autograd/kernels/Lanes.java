package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Lane sums in a fixed order. {@code FloatVector.reduceLanes(ADD)} may add the lanes in any order, and does: the
 * C2 intrinsic adds them pairwise, the interpreter and C1 one after another. A kernel using it would round
 * differently before and after its method is compiled, and a same-seed training run would then not repeat bit
 * for bit. Summing lane 0, 1, 2, … here costs a store and a few adds per reduction, which happen once per dot
 * product, not per element.
 */
final class Lanes {

    private Lanes() {}

    /** {@code v[0] + v[1] + … + v[L-1]}, left to right; {@code scratch} holds at least one vector. */
    static float sum(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        float total = 0;
        for (int i = 0; i < v.length(); i++) total += scratch[i];
        return total;
    }
}
