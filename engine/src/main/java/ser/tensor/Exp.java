package ser.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The exponential in float, from operations that round the same wherever they run: Cody-Waite reduction
 * {@code x = n·ln 2 + r}, |r| ≤ ln 2 / 2, Cephes' degree-7 polynomial for {@code e^r} (about 1 ulp, {@code ExpTest}),
 * and the scale {@code 2^n} built from exponent bits, in two halves so that results in the subnormal range round
 * once, as they should.
 *
 * <p>Why not the Vector API's {@code EXP}: C2 computes it with its own routine once the caller is compiled, and
 * with {@link Math#exp} lane by lane before, and the two differ in about one element in a hundred. A process's
 * first HuBERT pass then differed in the last bits from its later passes, and from another run's first one,
 * depending on when the JIT reached the softmax. The scalar and the vector form here evaluate the same operations
 * in the same order, so they also agree with each other bit for bit.
 */
final class Exp {

    private Exp() {}

    /** Below this, e^x rounds to 0 in float; above the upper bound, to infinity. NaN passes the clamps. */
    private static final float LOWEST = -104f, HIGHEST = 88.8f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts: n·LN2_HI is exact for the n that occur, LN2_LO carries the rest. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest integer. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f,
            P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    static float exp(float x) {
        float c = Math.clamp(x, LOWEST, HIGHEST);
        float rounded = Math.fma(c, LOG2E, ROUNDER), n = rounded - ROUNDER;
        float r = Math.fma(n, -LN2_HI, c);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        float y = Math.fma(p, r * r, r) + 1f;
        int k = Float.floatToRawIntBits(rounded) - ROUNDER_BITS, half = k >> 1;
        return y * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((k - half + 127) << 23);
    }

    static FloatVector exp(FloatVector x) {
        // A compare and a blend each way: max and min, which must honour NaN and -0 as Math.max does, cost more.
        FloatVector c = x.blend(LOWEST, x.lt(LOWEST));
        c = c.blend(HIGHEST, c.compare(VectorOperators.GT, HIGHEST));
        FloatVector rounded = c.fma(LOG2E, ROUNDER), n = rounded.sub(ROUNDER);
        FloatVector r = n.fma(c.broadcast(-LN2_HI), c);
        r = n.fma(c.broadcast(-LN2_LO), r);
        FloatVector p = r.fma(P0, P1); // P0·r + P1
        p = p.fma(r, r.broadcast(P2));
        p = p.fma(r, r.broadcast(P3));
        p = p.fma(r, r.broadcast(P4));
        p = p.fma(r, r.broadcast(P5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // n as an int without a conversion: ROUNDER + n holds n in its low mantissa bits.
        IntVector k = rounded.reinterpretAsInts().sub(ROUNDER_BITS), half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /**
     * Below this, {@link #expOrZero} gives 0. A softmax term e^(x - max) under e^-64 ≈ 1.6e-28 changes no sum that
     * holds the max's own 1 (it is under 2^-90 of it), and one above stays a normal float after the division by
     * a sum of up to 10^10 terms.
     */
    static final float NEGLIGIBLE = -64f;

    /**
     * e^x, or exactly 0 for x below {@link #NEGLIGIBLE}, so that no lane computes a subnormal: on x86 each
     * instruction that produces one, or reads one without flush-to-zero (which Java does not set), takes a
     * microcode assist of a hundred cycles or more. An attention row whose scores spread over more than 87 (as
     * those of HuBERT with the bench's random weights do) otherwise ran its softmax five to seven times slower,
     * and the product that reads its probabilities after it slower too.
     */
    static FloatVector expOrZero(FloatVector x) {
        VectorMask<Float> negligible = x.lt(NEGLIGIBLE);
        return exp(x.blend(NEGLIGIBLE, negligible)).blend(0f, negligible);
    }
}
