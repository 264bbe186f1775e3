package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums in one fixed order. {@code reduceLanes(ADD)} leaves the order open, and HotSpot's compiled intrinsic (a
 * tree) and its interpreter fallback (left to right) really do differ, so a kernel using it could give different
 * bits before and after warm-up; training runs must be bit-reproducible.
 */
final class VectorSums {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSums() {}

    /** The lanes of {@code v}, added left to right. */
    static float lanes(FloatVector v) {
        float total = 0;
        for (float lane : v.toArray()) total += lane;
        return total;
    }

    /** {@code a[at] + … + a[at + len − 1]}: lane-wise partial sums, then the lanes, then the tail. */
    static float of(float[] a, int at, int len) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) acc = acc.add(FloatVector.fromArray(S, a, at + k));
        float total = lanes(acc);
        for (; k < len; k++) total += a[at + k];
        return total;
    }
}
