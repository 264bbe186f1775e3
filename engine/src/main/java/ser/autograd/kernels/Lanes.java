package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;

/**
 * Sum of a vector's lanes in one fixed order. {@code reduceLanes(ADD)} leaves the order open, and HotSpot's
 * compiled intrinsic (a tree) and its interpreter fallback (left to right) really do differ, so a kernel using it
 * could give different bits before and after warm-up; training runs must be bit-reproducible.
 */
final class Lanes {

    private Lanes() {}

    static float sum(FloatVector v) {
        float[] lanes = v.toArray();
        float total = 0;
        for (float lane : lanes) total += lane;
        return total;
    }
}
