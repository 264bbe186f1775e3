package ser.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.testing.Close;
import ser.testing.Random;

class MatMulTest {

    /** Sizes around the tensor core GEMM's register tiles and cache blocks (KC = 192, NC ≈ 1024). */
    @ParameterizedTest
    @CsvSource({"1,1,1", "8,32,9", "9,33,7", "13,70,300", "4,4,1100", "17,1030,5", "3,5,2"})
    void allTransposeCasesMatchTheNaiveProduct(int m, int n, int k) {
        Random random = new Random(m * 1000 + n * 10 + k);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                // Embed each operand in a wider array to exercise offsets and leading dimensions.
                int lda = (transA ? m : k) + 3, ldb = (transB ? k : n) + 2, ldc = n + 1;
                float[] a = Random.toFloat(random.gaussian(5 + (transA ? k : m) * lda, 1));
                float[] b = Random.toFloat(random.gaussian(7 + (transB ? n : k) * ldb, 1));
                float[] c = Random.toFloat(random.gaussian(2 + m * ldc, 1));
                double[] expected = Random.toDouble(c);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            double av = transA ? a[5 + p * lda + i] : a[5 + i * lda + p];
                            double bv = transB ? b[7 + j * ldb + p] : b[7 + p * ldb + j];
                            sum += av * bv;
                        }
                        expected[2 + i * ldc + j] += sum;
                    }
                }
                float[] accumulated = c.clone();
                MatMul.gemm(transA, transB, m, n, k, a, 5, lda, b, 7, ldb, accumulated, 2, ldc, true);
                Close.assertClose("C += op(A)·op(B) " + transA + "," + transB, expected, accumulated, 1e-5);

                float[] parallel = c.clone();
                MatMul.gemmParallel(transA, transB, m, n, k, a, 5, lda, b, 7, ldb, parallel, 2, ldc, true);
                assertArrayEquals(accumulated, parallel, "row-split product must be bit-identical");
            }
        }
    }
}
