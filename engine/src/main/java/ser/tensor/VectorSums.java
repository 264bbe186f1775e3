package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums in one fixed order. {@code reduceLanes(ADD)} leaves the order open, and HotSpot's compiled intrinsic (a
 * tree) and its interpreter fallback (left to right) really do differ, so a kernel using it gives different bits
 * before and after the JIT compiles it: a process's first HuBERT pass differed in the last bits from its later
 * ones, and from the first pass of another run. Every lane sum of the engine goes through here instead; training
 * runs and embeddings must be bit-reproducible.
 */
public final class VectorSums {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSums() {}

    /** The lanes of {@code v}, added left to right. */
    public static float lanes(FloatVector v) {
        float total = 0;
        for (float lane : v.toArray()) total += lane;
        return total;
    }

    /** {@code a[at] + … + a[at + len − 1]}: lane-wise partial sums, then the lanes, then the tail. */
    public static float of(float[] a, int at, int len) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) acc = acc.add(FloatVector.fromArray(S, a, at + k));
        float total = lanes(acc);
        for (; k < len; k++) total += a[at + k];
        return total;
    }
}
