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
                window(FloatVector.fromArray(S, in, top + 2 * ox), FloatVector.fromArray(S, in, top + 2 * ox + L),
                        FloatVector.fromArray(S, in, bottom + 2 * ox), FloatVector.fromArray(S, in, bottom + 2 * ox + L),
                        w, top + 2 * ox + fromShift, y, from, o, S.maskAll(true));
            }
            if (ox < ow) {
                // The row's last, partial vector under masks (75 outputs a row are 4 vectors and 11 more; one by
                // one those 11 cost as much as the 64).
                int inputs = 2 * (ow - ox);
                VectorMask<Float> first = S.indexInRange(0, inputs), second = S.indexInRange(L, inputs);
                window(FloatVector.fromArray(S, in, top + 2 * ox, first), FloatVector.fromArray(S, in, top + 2 * ox + L, second),
                        FloatVector.fromArray(S, in, bottom + 2 * ox, first), FloatVector.fromArray(S, in, bottom + 2 * ox + L, second),
                        w, top + 2 * ox + fromShift, y, from, o, S.indexInRange(ox, ow));
                o += ow - ox;
            }
        }
    }

    /**
     * {@code L} windows from two vectors of the top row and two of the bottom: maxima into {@code y[o]}, their
     * indices ({@code first} plus the window's offset) into {@code from[o]}, where {@code store} is set.
     */
    private static void window(FloatVector t0, FloatVector t1, FloatVector b0, FloatVector b1, int w, int first,
                               float[] y, int[] from, int o, VectorMask<Float> store) {
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
        max.intoArray(y, o, store);
        TWICE_IOTA.add(first).add(offset).intoArray(from, o, store.cast(I));
    }

    private static VectorMask<Float> beats(FloatVector candidate, FloatVector max) {
        return candidate.compare(VectorOperators.GT, max).or(candidate.test(VectorOperators.IS_NAN));
    }

    private static int[] twiceIota() {
        int[] a = new int[L];
        for (int i = 0; i < L; i++) a[i] = 2 * i;
        return a;
    }
}
