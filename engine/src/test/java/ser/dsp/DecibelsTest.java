package ser.dsp;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DecibelsTest {

    @Test
    void powerToDbFloorsAtMinus100() {
        assertEquals(0f, Decibels.fromPower(1f));
        assertEquals(30f, Decibels.fromPower(1000f), 1e-5);
        assertEquals(-100f, Decibels.fromPower(1e-10f), 1e-4);
        assertEquals(-100f, Decibels.fromPower(0f), 1e-4);
        assertEquals(-100f, Decibels.fromPower(1e-30f), 1e-4);
    }

    @Test
    void batchedDbMatchesScalarAndWritesOnlyTheClipsFrames() {
        int lanes = BatchFft.SPECIES.length(), rows = 3, frames = lanes + lanes / 2, first = lanes;
        float[] mel = new float[rows * lanes];
        for (int i = 0; i < mel.length; i++) mel[i] = (float) Math.pow(10, i % 13 - 6);
        float[] out = new float[rows * frames];
        java.util.Arrays.fill(out, Float.NaN);
        Decibels.fromPowerBatch(mel, rows, out, frames, first);
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < frames; t++) {
                float got = out[r * frames + t];
                if (t < first) assertEquals(Float.NaN, got, "frame " + t + " is not this batch's");
                else assertEquals(Decibels.fromPower(mel[r * lanes + t - first]), got, 1e-5, "row " + r + " frame " + t);
            }
        }
    }

    @Test
    void topDbRaisesEverythingToMaxMinusTopDb() {
        float[] db = new float[37];  // vector body and scalar tail, the maximum in the tail
        for (int i = 0; i < db.length; i++) db[i] = -3f * i;
        db[35] = 12;
        float[] want = db.clone();
        for (int i = 0; i < want.length; i++) want[i] = Math.max(want[i], 12 - 80);
        Decibels.clampToTop(db, 80);
        assertArrayEquals(want, db);
        assertEquals(-68f, db[36]);
        assertEquals(-66f, db[22]);
    }

    @Test
    void vectorAndScalarLogAgreeBitForBitAndStayWithinAThousandthOfADecibel() {
        var species = BatchFft.SPECIES;
        var random = new java.util.SplittableRandom(3);
        float[] x = new float[species.length() * 4096];
        for (int i = 0; i < x.length; i++) {
            // every binade from below the floor to far above any real power, and exact powers of two
            x[i] = i % 97 == 0 ? (float) Math.scalb(1.0, random.nextInt(-40, 40))
                    : (float) Math.pow(10, random.nextDouble(-12, 8));
        }
        float[] vector = new float[x.length];
        for (int i = 0; i < x.length; i += species.length()) {
            Decibels.fromPower(jdk.incubator.vector.FloatVector.fromArray(species, x, i)).intoArray(vector, i);
        }
        for (int i = 0; i < x.length; i++) {
            float scalar = Decibels.fromPower(x[i]);
            assertEquals(Float.floatToIntBits(scalar), Float.floatToIntBits(vector[i]), "power " + x[i]);
            assertEquals(10 * Math.log10(Math.max(x[i], 1e-10f)), scalar, 1e-4, "power " + x[i]);
        }
    }
}
