package ser.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Power to decibels as torchaudio's {@code AmplitudeToDB(stype="power")}: 10 log10(max(x, 1e-10)), ref 1. */
public final class Decibels {

    private static final VectorSpecies<Float> SPECIES = BatchFft.SPECIES;
    /** torchaudio's amin: the floor, -100 dB, that keeps log10 finite on silence. */
    static final float AMIN = 1e-10f;

    private Decibels() {}

    /** Scalar reference. */
    public static float fromPower(float power) {
        return 10f * (float) Math.log10(Math.max(power, AMIN));
    }

    /**
     * Row r of {@code mel} ([rows][lanes], lane = frame first + lane) in dB into {@code out[r * frames + first ...]},
     * for the lanes that are frames of the clip ({@code first + lane < frames}).
     *
     * <p>Scalar on purpose: the vector {@code LOG10} is computed by C2's own routine once this method is compiled
     * and lane by lane before, which round differently, so the same clip would get other features early and late
     * in a run (and training on them would not repeat bit for bit). {@code Math.log10} is one intrinsic for the
     * interpreter and both compilers.
     */
    public static void fromPowerBatch(float[] mel, int rows, float[] out, int frames, int first) {
        int lanes = SPECIES.length(), inClip = Math.min(lanes, frames - first);
        for (int r = 0; r < rows; r++) {
            for (int lane = 0; lane < inClip; lane++) out[r * frames + first + lane] = fromPower(mel[r * lanes + lane]);
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
