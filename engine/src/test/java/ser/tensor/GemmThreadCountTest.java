package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.testing.Random;

/**
 * Training relies on this: a tile of C runs through all of K on one thread, so how tiles are shared out (row
 * strips, column groups, which thread claims which) never changes an element's summation order, and any pool size
 * gives the same bits.
 */
class GemmThreadCountTest {

    /**
     * Edge tiles in both directions, several K blocks (KC = 192), a second column block (NC ≈ 1024), and a tall A
     * that one thread packs block by block in spans of K, and three threads pack whole.
     */
    @ParameterizedTest
    @CsvSource({"1,5,3", "13,70,300", "200,50,400", "9,1100,7", "40,3,2", "1300,100,1500"})
    void anyPoolSizeGivesTheSameBits(int m, int n, int k) {
        Random random = new Random(m * 7 + n * 3 + k);
        float[] a = Random.toFloat(random.gaussian(m * k, 1));
        float[] b = Random.toFloat(random.gaussian(k * n, 1));
        float[] c = Random.toFloat(random.gaussian(m * n, 1));
        try (Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            for (boolean transposedB : new boolean[] {false, true}) {
                Tensor tb = transposedB ? Tensor.wrap(b, n, k).transpose(0, 1) : Tensor.wrap(b, k, n);
                for (float beta : new float[] {0f, 1f}) {
                    float[] serial = c.clone(), pooled = c.clone();
                    new Gemm(one).gemm(1f, Tensor.wrap(a, m, k), tb, beta, Tensor.wrap(serial, m, n));
                    new Gemm(three).gemm(1f, Tensor.wrap(a, m, k), tb, beta, Tensor.wrap(pooled, m, n));
                    assertArrayEquals(serial, pooled, "Bᵀ " + transposedB + ", beta " + beta);
                }
            }
        }
    }
}
