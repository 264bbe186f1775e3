package ser.autograd.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.autograd.reference.ConvShape;
import ser.testing.Random;

/** {@link ScalarConv}: bit for bit the vector kernels it stands in for. */
class ScalarConvTest {

    @ParameterizedTest
    @CsvSource({
        "1, 1, 128, 151, 32, 1",   // the seed CNN's first layer on a 3 s clip
        "2, 1, 12, 17, 8, 1",
        "3, 1, 5, 32, 5, 1",       // rows of whole vectors, an odd channel count
        "2, 1, 4, 3, 2, 0",        // no padding, rows shorter than a vector
        "1, 1, 7, 9, 3, 2"})       // more padding than the kernel's half
    void singleChannel(int n, int cin, int h, int w, int cout, int pad) {
        ConvShape s = new ConvShape(n, cin, h, w, cout, 3, 3, 1, pad);
        float[][] in = inputs(s);
        float[] vector = new float[n * s.outputSize()], scalar = new float[vector.length];
        SingleChannelConv.forward(s, in[0], in[1], in[2], vector);
        ScalarConv.singleChannel(s, in[0], in[1], in[2], scalar);
        assertArrayEquals(vector, scalar);
        ScalarConv.singleChannel(s, in[0], in[1], null, scalar);
        SingleChannelConv.forward(s, in[0], in[1], null, vector);
        assertArrayEquals(vector, scalar);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 32, 64, 75, 64, 3, 1",  // the seed CNN's second layer on a 3 s clip
        "1, 64, 32, 37, 128, 3, 1", // ... and its third (K = 576: several KC steps)
        "3, 5, 9, 11, 16, 3, 1",
        "2, 4, 6, 7, 3, 3, 0",      // odd channel count, no padding
        "2, 3, 8, 13, 9, 5, 2",     // 5x5 kernel
        "1, 2, 5, 5, 4, 5, 4",      // padding k - 1
        "2, 4, 6, 6, 3, 1, 0"})     // pointwise
    void implicit(int n, int cin, int h, int w, int cout, int k, int pad) {
        ConvShape s = new ConvShape(n, cin, h, w, cout, k, k, 1, pad);
        assumeTrue(ImplicitConv.applies(s), "the implicit GEMM needs AVX-512");
        float[][] in = inputs(s);
        float[] vector = new float[n * s.outputSize()], scalar = new float[vector.length];
        ImplicitConv.forward(s, in[0], in[1], in[2], vector);
        ScalarConv.implicit(s, in[0], in[1], in[2], scalar);
        assertArrayEquals(vector, scalar);
        ImplicitConv.forward(s, in[0], in[1], null, vector);
        ScalarConv.implicit(s, in[0], in[1], null, scalar);
        assertArrayEquals(vector, scalar);
    }

    @ParameterizedTest
    @CsvSource({
        "1, 32, 128, 151",  // the seed CNN's first block on a 3 s clip (odd width: the last column is dropped)
        "2, 3, 6, 40",
        "1, 2, 5, 7"})
    void batchNormPoolReluEval(int n, int c, int h, int w) {
        Random random = new Random(31 * n + 7 * c + h * w);
        float[] x = Random.toFloat(random.gaussian(n * c * h * w, 1));
        // Ties and NaNs in some windows: the pooling's order decides them.
        for (int i = 0; i + 1 < x.length; i += 13) x[i + 1] = x[i];
        for (int i = 5; i < x.length; i += 97) x[i] = Float.NaN;
        float[] gamma = Random.toFloat(random.gaussian(c, 1)), beta = Random.toFloat(random.gaussian(c, 1));
        float[] mean = Random.toFloat(random.gaussian(c, 1)), var = new float[c];
        for (int i = 0; i < c; i++) var[i] = 0.5f + i;
        float[] vector = new float[n * c * (h / 2) * (w / 2)], scalar = new float[vector.length];
        BatchNormPoolReluKernel.evalVector(n, c, h, w, x, gamma, beta, 1e-5f, mean, var, vector);
        BatchNormPoolReluKernel.evalScalar(n, c, h, w, x, gamma, beta, 1e-5f, mean, var, scalar);
        assertArrayEquals(vector, scalar);
    }

    private static float[][] inputs(ConvShape s) {
        Random random = new Random(s.hashCode());
        return new float[][] {
            Random.toFloat(random.gaussian(s.n() * s.inputSize(), 1)),
            Random.toFloat(random.gaussian(s.weightSize(), 0.5)),
            Random.toFloat(random.gaussian(s.cout(), 1))};
    }
}
