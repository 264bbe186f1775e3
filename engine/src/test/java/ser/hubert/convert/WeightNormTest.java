package ser.hubert.convert;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WeightNormTest {

    private static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (long i = 0; i < t.size(); i++) t.setFlat(i, (float) r.nextGaussian());
        return t;
    }

    @Test
    void dimTwoScalesEachKernelTapToItsGain() {
        Random r = new Random(1);
        Tensor v = random(r, 6, 3, 5), g = random(r, 1, 1, 5);
        Tensor w = WeightNorm.fold(g, v, "g");
        for (int k = 0; k < 5; k++) {
            double norm = 0, vNorm = 0;
            for (int o = 0; o < 6; o++) for (int i = 0; i < 3; i++) { norm += w.get(o, i, k) * w.get(o, i, k); vNorm += v.get(o, i, k) * v.get(o, i, k); }
            assertEquals(Math.abs(g.get(0, 0, k)), Math.sqrt(norm), 1e-5);
            // direction kept: w = g v / |v|
            assertEquals(g.get(0, 0, k) * v.get(2, 1, k) / Math.sqrt(vNorm), w.get(2, 1, k), 1e-6);
        }
    }

    @Test
    void dimZeroScalesEachOutputChannel() {
        Random r = new Random(2);
        Tensor v = random(r, 4, 3, 2), g = random(r, 4, 1, 1);
        Tensor w = WeightNorm.fold(g, v, "g");
        for (int o = 0; o < 4; o++) {
            double norm = 0;
            for (int i = 0; i < 3; i++) for (int k = 0; k < 2; k++) norm += w.get(o, i, k) * w.get(o, i, k);
            assertEquals(Math.abs(g.get(o, 0, 0)), Math.sqrt(norm), 1e-5);
        }
    }

    @Test
    void gainOfTheWrongShapeIsRefused() {
        Random r = new Random(3);
        assertThrows(SerException.class, () -> WeightNorm.fold(random(r, 1, 2, 5), random(r, 6, 3, 5), "g"));
        assertThrows(SerException.class, () -> WeightNorm.fold(random(r, 1, 7), random(r, 6, 3, 5), "g"));
    }
}
