package ser.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DotProductTest {

    /** Every length from empty past several vector widths, at unaligned offsets: whole vectors and tails. */
    @Test
    void vectorMatchesScalarForEveryLengthAndOffset() {
        Random random = new Random(7);
        float[] a = new float[200];
        float[] b = new float[200];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
            b[i] = (float) random.nextGaussian();
        }
        for (int n = 0; n <= 70; n++) {
            for (int offset = 0; offset < 5; offset++) {
                float scalar = DotProduct.scalar(a, offset, b, 2 * offset + 1, n);
                float vector = DotProduct.vector(a, offset, b, 2 * offset + 1, n);
                double magnitude = 0;
                for (int i = 0; i < n; i++) magnitude += Math.abs(a[offset + i] * b[2 * offset + 1 + i]);
                assertEquals(scalar, vector, 1e-6 * magnitude + 1e-7, "n=" + n + " offset=" + offset);
            }
        }
    }

    @Test
    void exactOnSmallIntegers() {
        float[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
        float[] b = new float[a.length];
        java.util.Arrays.fill(b, 2);
        assertEquals(380f, DotProduct.vector(a, 0, b, 0, a.length));
        assertEquals(380f, DotProduct.scalar(a, 0, b, 0, a.length));
    }
}
