package ser.hubert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.autograd.reference.ActivationReference;
import ser.tensor.Activation;
import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conv computed in pairs of frames against the direct conv in double, in every combination of row orders. */
class PairedConvTest {

    private static final int IN = 24, OUT = 40;

    /**
     * Input lengths that give even and odd output counts, one and two frames, inputs with a frame to spare, and
     * (1001) products tall enough that each GEMM task packs its own block of differences.
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 8, 41, 42, 200, 1001})
    void equalsTheDirectConv(int length) {
        Random random = new Random(length);
        float[] x = gaussian(random, length * IN, 1), w = gaussian(random, 3 * IN * OUT, 1 / Math.sqrt(3 * IN));
        float[] bias = gaussian(random, OUT, 0.5);
        int frames = (length - 3) / 2 + 1;
        for (Tensor b : new Tensor[] {null, Tensor.wrap(bias, OUT)}) {
            for (Activation activation : new Activation[] {Activation.IDENTITY, Activation.GELU}) {
                double[][] expected = reference(x, w, b == null ? null : bias, length, activation);
                for (Ops ops : new Ops[] {new ScalarOps(), new SimdOps(new Parallel(2))}) {
                    PairedConv conv = new PairedConv(Tensor.wrap(w, 3 * IN, OUT), b, ops);
                    for (boolean splitIn : new boolean[] {false, true}) {
                        for (boolean splitOut : new boolean[] {false, true}) {
                            Tensor out = Tensor.zeros(frames, OUT);
                            conv.forward(ops, layout(x, length, splitIn), activation, new Frames(out, splitOut));
                            String what = ops.getClass().getSimpleName() + ", " + length + " samples, bias " + (b != null)
                                    + ", " + activation + ", split in " + splitIn + ", split out " + splitOut;
                            assertClose(expected, inTimeOrder(out, splitOut), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void framesSeesEveryOtherRowInBothOrders() {
        float[] rows = new float[7];
        for (int i = 0; i < 7; i++) rows[i] = i;
        Frames time = Frames.inTimeOrder(Tensor.wrap(rows, 7, 1));
        assertEquals("[1.0, 4.0]", java.util.Arrays.toString(time.every(1, 3, 2).toArray()));
        // Split: frames 0, 2, 4, 6 then 1, 3, 5.
        float[] split = {0, 2, 4, 6, 1, 3, 5};
        Frames f = new Frames(Tensor.wrap(split, 7, 1), true);
        assertEquals("[2.0, 6.0]", java.util.Arrays.toString(f.every(2, 4, 2).toArray()));
        assertEquals("[1.0, 3.0, 5.0]", java.util.Arrays.toString(f.every(1, 2, 3).toArray()));
        assertEquals("[3.0]", java.util.Arrays.toString(f.every(3, 4, 1).toArray()));
        assertThrows(IllegalArgumentException.class, () -> f.every(0, 1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> f.every(1, 2, 4));
    }

    /** x [length, IN] in time order, or split into even then odd frames. */
    private static Frames layout(float[] x, int length, boolean split) {
        if (!split) return Frames.inTimeOrder(Tensor.wrap(x.clone(), length, IN));
        float[] rows = new float[x.length];
        int evens = (length + 1) / 2;
        for (int t = 0; t < length; t++) {
            int row = t % 2 == 0 ? t / 2 : evens + t / 2;
            System.arraycopy(x, t * IN, rows, row * IN, IN);
        }
        return new Frames(Tensor.wrap(rows, length, IN), true);
    }

    private static float[][] inTimeOrder(Tensor out, boolean split) {
        int frames = out.dim(0), evens = (frames + 1) / 2;
        float[][] y = new float[frames][OUT];
        for (int t = 0; t < frames; t++) {
            int row = !split ? t : t % 2 == 0 ? t / 2 : evens + t / 2;
            for (int c = 0; c < OUT; c++) y[t][c] = out.get(row, c);
        }
        return y;
    }

    private static double[][] reference(float[] x, float[] w, float[] bias, int length, Activation activation) {
        int frames = (length - 3) / 2 + 1;
        double[][] y = new double[frames][OUT];
        for (int t = 0; t < frames; t++) {
            for (int o = 0; o < OUT; o++) {
                double sum = bias == null ? 0 : bias[o];
                for (int tap = 0; tap < 3; tap++) {
                    for (int i = 0; i < IN; i++) sum += (double) x[(2 * t + tap) * IN + i] * w[(tap * IN + i) * OUT + o];
                }
                y[t][o] = sum;
            }
            if (activation == Activation.GELU) y[t] = ActivationReference.gelu(y[t]);
        }
        return y;
    }

    private static void assertClose(double[][] expected, float[][] actual, String what) {
        for (int t = 0; t < expected.length; t++) {
            for (int c = 0; c < OUT; c++) {
                double diff = Math.abs(actual[t][c] - expected[t][c]);
                assertTrue(diff < 1e-5 * (1 + Math.abs(expected[t][c])),
                        what + ", frame " + t + ", channel " + c + ": " + actual[t][c] + ", expected " + expected[t][c]);
            }
        }
    }

    private static float[] gaussian(Random random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (scale * random.nextGaussian());
        return v;
    }
}
