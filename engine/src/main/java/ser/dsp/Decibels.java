package ser.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Power to decibels as torchaudio's {@code AmplitudeToDB(stype="power")}: 10 log10(max(x, 1e-10)), ref 1. */
public final class Decibels {

    private static final VectorSpecies<Float> SPECIES = BatchFft.SPECIES;
    /** torchaudio's amin: the floor, -100 dB, that keeps log10 finite on silence. */
    static final float AMIN = 1e-10f;

    private Decibels() {}

    private static final float LN2 = 0.6931471805599453f;
    /** 10 / ln 10: decibels per neper of power. */
    private static final float DB_PER_LN = 4.342944819032518f;
    private static final float SQRT2 = 1.4142135623730951f;

    /** Scalar twin of the vector path, the same operations in the same order, so both give the same bits. */
    public static float fromPower(float power) {
        float x = Math.max(power, AMIN);
        int bits = Float.floatToRawIntBits(x);
        float e = (bits >>> 23) - 127;
        float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
        if (m > SQRT2) {
            m *= 0.5f;
            e += 1f;
        }
        float t = (m - 1f) / (m + 1f), t2 = t * t;
        float series = Math.fma(Math.fma(Math.fma(Math.fma(1f / 9, t2, 1f / 7), t2, 1f / 5), t2, 1f / 3), t2, 1f);
        return Math.fma(e, LN2, 2f * t * series) * DB_PER_LN;
    }

    /**
     * {@code 10 log10(max(x, amin))} lane by lane: x = m · 2^e with m in [√½, √2), ln m = 2 atanh(t) with
     * t = (m - 1)/(m + 1), |t| ≤ 0.172, as an odd series to t⁹ (truncation below 1e-9). Within a few float
     * ulps of the correctly rounded value, far inside torchaudio's tolerance.
     *
     * <p>Why not the Vector API's {@code LOG10}: C2 computes it with its own routine once the caller is compiled,
     * and lane by lane before, and the two round differently, so a clip's features would depend on when the JIT
     * got to this method (and training on them would not repeat bit for bit). Add, multiply, divide, fused
     * multiply-add and bit operations round the same everywhere.
     */
    static FloatVector fromPower(FloatVector power) {
        FloatVector x = power.max(AMIN);
        IntVector bits = x.reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(127).convert(VectorOperators.I2F, 0);
        FloatVector m = bits.and(0x007FFFFF).or(0x3F800000).reinterpretAsFloats();
        VectorMask<Float> big = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5f), big);
        e = e.blend(e.add(1f), big);
        FloatVector t = m.sub(1f).div(m.add(1f)), t2 = t.mul(t);
        FloatVector series = FloatVector.broadcast(power.species(), 1f / 9).fma(t2, FloatVector.broadcast(power.species(), 1f / 7))
                .fma(t2, FloatVector.broadcast(power.species(), 1f / 5))
                .fma(t2, FloatVector.broadcast(power.species(), 1f / 3))
                .fma(t2, FloatVector.broadcast(power.species(), 1f));
        return e.fma(FloatVector.broadcast(power.species(), LN2), t.mul(2f).mul(series)).mul(DB_PER_LN);
    }

    /**
     * Row r of {@code mel} ([rows][lanes], lane = frame first + lane) in dB into {@code out[r * frames + first ...]},
     * for the lanes that are frames of the clip ({@code first + lane < frames}).
     */
    public static void fromPowerBatch(float[] mel, int rows, float[] out, int frames, int first) {
        int lanes = SPECIES.length(), inClip = Math.min(lanes, frames - first);
        for (int r = 0; r < rows; r++) {
            if (inClip == lanes) {
                fromPower(FloatVector.fromArray(SPECIES, mel, r * lanes)).intoArray(out, r * frames + first);
            } else {
                for (int lane = 0; lane < inClip; lane++) out[r * frames + first + lane] = fromPower(mel[r * lanes + lane]);
            }
        }
    }

    /** AmplitudeToDB's top_db: raise every value to at least (the spectrogram's maximum - topDb). */
    public static void clampToTop(float[] db, float topDb) {
        int n = db.length, bound = SPECIES.loopBound(n);
        var max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += SPECIES.length()) max = max.max(FloatVector.fromArray(SPECIES, db, i));
        float top = max.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) top = Math.max(top, db[i]);
        float floor = top - topDb;
        for (i = 0; i < bound; i += SPECIES.length()) FloatVector.fromArray(SPECIES, db, i).max(floor).intoArray(db, i);
        for (; i < n; i++) db[i] = Math.max(db[i], floor);
    }
}
