package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2×2 stride-2 max pooling of one plane, vectorised: two vectors of each input row are split into their even and
 * odd columns, giving the four window positions of {@code L} outputs at once. Ties and NaNs go as in PyTorch's
 * CPU kernel: window order (top-left, top-right, bottom-left, bottom-right), a later value wins only if strictly
 * greater, and a NaN always wins.
 */
public final class MaxPool2x2 {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);
    private static final IntVector TWICE_IOTA = IntVector.fromArray(I, twiceIota(), 0);

    private MaxPool2x2() {}

    /** Pools plane {@code plane} of {@code in} ({@code h × w}) into {@code y} ({@code oh × ow}), argmax into {@code from}. */
    public static void plane(float[] in, int plane, int h, int w, int oh, int ow, float[] y, int[] from) {
        plane(in, plane * h * w, h, w, oh, ow, y, from, plane * oh * ow, 0);
    }

    /**
     * Pools the {@code h × w} plane at {@code in[inAt]} into {@code y[outAt]} ({@code oh × ow}); {@code from} gets,
     * at the same places, the maximum's index in {@code in} plus {@code fromShift} (so that a plane copied into
     * scratch space can report indices into the array it came from).
     */
    public static void plane(float[] in, int inAt, int h, int w, int oh, int ow, float[] y, int[] from, int outAt,
                             int fromShift) {
        int bound = ow - L + 1;
        for (int oy = 0, o = outAt; oy < oh; oy++) {
            int top = inAt + 2 * oy * w, bottom = top + w;
            int ox = 0;
            for (; ox < bound; ox += L, o += L) {
                FloatVector t0 = FloatVector.fromArray(S, in, top + 2 * ox);
                FloatVector t1 = FloatVector.fromArray(S, in, top + 2 * ox + L);
                FloatVector b0 = FloatVector.fromArray(S, in, bottom + 2 * ox);
                FloatVector b1 = FloatVector.fromArray(S, in, bottom + 2 * ox + L);
                FloatVector max = t0.rearrange(EVEN, t1);
                IntVector offset = IntVector.zero(I);
                FloatVector v = t0.rearrange(ODD, t1);
                VectorMask<Float> wins = beats(v, max);
                max = max.blend(v, wins);
                offset = offset.blend(1, wins.cast(I));
                v = b0.rearrange(EVEN, b1);
                wins = beats(v, max);
                max = max.blend(v, wins);
                offset = offset.blend(w, wins.cast(I));
                v = b0.rearrange(ODD, b1);
                wins = beats(v, max);
                max = max.blend(v, wins);
                offset = offset.blend(w + 1, wins.cast(I));
                max.intoArray(y, o);
                TWICE_IOTA.add(top + 2 * ox + fromShift).add(offset).intoArray(from, o);
            }
            for (; ox < ow; ox++, o++) {
                int at = top + 2 * ox;
                int best = better(in, better(in, better(in, at, at + 1), at + w), at + w + 1);
                y[o] = in[best];
                from[o] = best + fromShift;
            }
        }
    }

    private static VectorMask<Float> beats(FloatVector candidate, FloatVector max) {
        return candidate.compare(VectorOperators.GT, max).or(candidate.test(VectorOperators.IS_NAN));
    }

    /** {@code candidate} if it beats the maximum so far at {@code best}: a select, not a branch (a coin toss on real data). */
    static int better(float[] in, int best, int candidate) {
        float v = in[candidate];
        return v > in[best] || v != v ? candidate : best;
    }

    private static int[] twiceIota() {
        int[] a = new int[L];
        for (int i = 0; i < L; i++) a[i] = 2 * i;
        return a;
    }
}
