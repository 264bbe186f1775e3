package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise float kernels of the SIMD backend, one slice of the range per thread: a vector body and a
 * scalar tail that computes the same thing. Lane-wise {@code max} is {@link Math#max} (a NaN stays NaN, −0 becomes
 * 0) and a product rounds as the scalar one does, so the results do not depend on the vector width or the slices.
 */
final class ElementWise {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private ElementWise() {}

    /** {@code y = max(x, 0)}. */
    static void relu(float[] x, float[] y) {
        Parallel.forEachChunk(x.length, (chunk, from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
            }
            for (; i < to; i++) y[i] = Math.max(x[i], 0f);
        });
    }

    /** {@code y = a·b}. */
    static void multiply(float[] a, float[] b, float[] y) {
        Parallel.forEachChunk(a.length, (chunk, from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).intoArray(y, i);
            }
            for (; i < to; i++) y[i] = a[i] * b[i];
        });
    }

    /** {@code dx = x > 0 ? dy : 0}. */
    static void reluBackward(float[] x, float[] dy, float[] dx) {
        FloatVector zero = FloatVector.zero(S);
        Parallel.forEachChunk(x.length, (chunk, from, to) -> {
            int i = from;
            for (int bound = from + S.loopBound(to - from); i < bound; i += L) {
                var positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
                zero.blend(FloatVector.fromArray(S, dy, i), positive).intoArray(dx, i);
            }
            for (; i < to; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
        });
    }
}
