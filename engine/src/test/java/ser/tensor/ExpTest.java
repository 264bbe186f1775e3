package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The float exponential against double {@link Math#exp}, its vector form against its scalar one, and warm-up. */
class ExpTest {

    /** Distance in ulps of the float result from the exact value (double is exact enough here). */
    private static double ulps(float result, double exact) {
        return Math.abs(result - exact) / Math.ulp((float) exact);
    }

    @Test
    void isWithinAnUlpOverTheWholeNormalRange() {
        double worst = 0;
        for (int i = -870_000; i <= 887_000; i++) {
            float x = i * 1e-4f;
            double u = ulps(Exp.exp(x), Math.exp(x));
            worst = Math.max(worst, u);
            if (u > 1.05) fail("exp(" + x + ") = " + Exp.exp(x) + ", exact " + Math.exp(x) + ": " + u + " ulps");
        }
        assertTrue(worst > 0.4, "a float exp cannot round every value exactly: " + worst); // the loop did run
    }

    @Test
    void specialValuesAndTheEdgesOfTheRange() {
        assertEquals(1f, Exp.exp(0f));
        assertEquals(1f, Exp.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(89f));
        assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, Exp.exp(-200f));
        assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
        assertTrue(ulps(Exp.exp(88.7f), Math.exp(88.7f)) <= 2, "exp(88.7), near the largest float");
        // Subnormal results: rounded once, to the nearest multiple of the smallest subnormal.
        for (float x = -103.9f; x < -87.3f; x += 0.37f) {
            double exact = Math.exp(x);
            assertTrue(Math.abs(Exp.exp(x) - exact) <= Float.MIN_VALUE * 1.01 + 2 * Math.ulp((float) exact),
                    "exp(" + x + ") = " + Exp.exp(x) + ", exact " + exact);
        }
    }

    @Test
    void theVectorFormGivesTheScalarFormsBits() {
        Random random = new Random(5);
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes * 4096], vector = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextGaussian() * 30);
        x[0] = Float.NaN;
        x[1] = Float.NEGATIVE_INFINITY;
        x[2] = Float.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i += lanes) {
            Exp.exp(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(vector, i);
        }
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToIntBits(vector[i]) != Float.floatToIntBits(Exp.exp(x[i]))) {
                fail("exp(" + x[i] + "): vector " + vector[i] + ", scalar " + Exp.exp(x[i]));
            }
        }
    }

    @Test
    void expOrZeroIsExpDownToTheCutAndZeroBelow() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[lanes * 64], out = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = Exp.NEGLIGIBLE + (i - x.length / 2) * 0.01f;
        x[0] = Float.NaN;
        x[1] = Float.NEGATIVE_INFINITY;
        x[2] = Exp.NEGLIGIBLE;
        x[3] = Math.nextDown(Exp.NEGLIGIBLE);
        for (int i = 0; i < x.length; i += lanes) {
            Exp.expOrZero(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(out, i);
        }
        assertTrue(Float.isNaN(out[0]));
        for (int i = 1; i < x.length; i++) {
            float expected = x[i] < Exp.NEGLIGIBLE ? 0f : Exp.exp(x[i]);
            assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]), "expOrZero(" + x[i] + ")");
        }
    }

    /**
     * Scores that spread far below their row's largest (as a random-weight HuBERT's attention's do): no
     * probability comes out subnormal, each is within 3e-7 of the double softmax (a few ulps of the largest, 1),
     * and every row still sums to 1.
     */
    @Test
    void softmaxOfWidelySpreadScoresHasNoSubnormals() {
        Random random = new Random(7);
        int rows = 40, n = 149;
        float[] logits = new float[rows * n];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (random.nextGaussian() * 40);
        Tensor out = Tensor.zeros(rows, n);
        new SimdOps(new Parallel(1)).softmax(Tensor.wrap(logits, rows, n), out);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0, total = 0;
            for (int j = 0; j < n; j++) max = Math.max(max, logits[r * n + j]);
            for (int j = 0; j < n; j++) sum += Math.exp(logits[r * n + j] - max);
            for (int j = 0; j < n; j++) {
                float p = out.get(r, j);
                assertTrue(p == 0 || p >= Float.MIN_NORMAL, "row " + r + ", column " + j + ": subnormal " + p);
                assertEquals(Math.exp(logits[r * n + j] - max) / sum, p, 3e-7, "row " + r + ", column " + j);
                total += p;
            }
            assertEquals(1, total, 1e-6, "row " + r);
        }
    }

    /**
     * The softmax's results must not change when the JIT compiles it. With the Vector API's EXP, about one element
     * in a hundred changed once C2 took over (its own routine instead of Math.exp lane by lane).
     */
    @Test
    void softmaxGivesTheSameBitsBeforeAndAfterWarmUp() {
        Random random = new Random(6);
        float[] logits = new float[149 * 40];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) (random.nextGaussian() * 8);
        SimdOps ops = new SimdOps(new Parallel(1));
        Tensor in = Tensor.wrap(logits, 40, 149), first = Tensor.zeros(40, 149), again = Tensor.zeros(40, 149);
        ops.softmax(in, first);
        for (int call = 0; call < 3000; call++) {
            ops.softmax(in, again);
            assertArrayEquals(first.toArray(), again.toArray(), "call " + call);
        }
    }
}
