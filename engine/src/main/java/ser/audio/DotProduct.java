package ser.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.tensor.VectorSums;

/** The resampler's inner loop: a dot product of a filter row with a stretch of the signal. */
final class DotProduct {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private DotProduct() {}

    /** The reference: one multiply-add at a time, in order. */
    static float scalar(float[] a, int aFrom, float[] b, int bFrom, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[aFrom + i] * b[bFrom + i];
        return sum;
    }

    /** Lane-wise fused multiply-adds over whole vectors, then the leftover elements one by one. */
    static float vector(float[] a, int aFrom, float[] b, int bFrom, int n) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(n);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) {
            FloatVector va = FloatVector.fromArray(SPECIES, a, aFrom + i);
            FloatVector vb = FloatVector.fromArray(SPECIES, b, bFrom + i);
            acc = va.fma(vb, acc);
        }
        float sum = VectorSums.lanes(acc); // in a fixed order, whether compiled or not
        for (; i < n; i++) sum += a[aFrom + i] * b[bFrom + i];
        return sum;
    }
}
