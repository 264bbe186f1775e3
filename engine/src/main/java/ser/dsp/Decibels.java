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
     */
    public static void fromPowerBatch(float[] mel, int rows, float[] out, int frames, int first) {
        int lanes = SPECIES.length();
        var inClip = SPECIES.indexInRange(first, frames);
        for (int r = 0; r < rows; r++) {
            var db = FloatVector.fromArray(SPECIES, mel, r * lanes).max(AMIN).lanewise(VectorOperators.LOG10).mul(10f);
            db.intoArray(out, r * frames + first, inClip);
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
