package ser.hubert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.autograd.reference.ActivationReference;
import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folded conv + group norm against the two computed one after the other, in double. */
class GroupNormConvTest {

    private static final int KERNEL = 10, STRIDE = 5, CHANNELS = 16;

    /**
     * Against conv, group norm and GELU in double precision. Offsets up to 100 times the signal: the moments must
     * not lose the variance to cancellation.
     */
    @ParameterizedTest
    @ValueSource(floats = {0f, 0.3f, 10f})
    void equalsConvThenGroupNormThenGelu(float dcOffset) {
        Random random = new Random(3);
        float[] samples = new float[4003];
        for (int i = 0; i < samples.length; i++) samples[i] = dcOffset + 0.1f * (float) random.nextGaussian();
        float[] w = new float[KERNEL * CHANNELS], gamma = new float[CHANNELS], beta = new float[CHANNELS];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextGaussian() / 3;
        for (int c = 0; c < CHANNELS; c++) {
            gamma[c] = 1 + 0.2f * (float) random.nextGaussian();
            beta[c] = 0.1f * (float) random.nextGaussian();
        }
        Norm norm = new Norm(Tensor.wrap(gamma, CHANNELS), Tensor.wrap(beta, CHANNELS), 1e-5f);
        GroupNormConv conv = new GroupNormConv(Tensor.wrap(w, KERNEL, CHANNELS), norm, STRIDE, new ScalarOps().workspace());
        int frames = (samples.length - KERNEL) / STRIDE + 1;
        double[][] expected = reference(samples, w, gamma, beta, frames);
        for (Ops ops : new Ops[] {new ScalarOps(), new SimdOps(new Parallel(1))}) {
            Tensor out = Tensor.zeros(frames, CHANNELS);
            conv.forward(ops, samples, out);
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double diff = Math.abs(out.get(t, c) - expected[t][c]);
                    assertTrue(diff < 2e-5, "offset " + dcOffset + ", frame " + t + ", channel " + c + ": " + out.get(t, c)
                            + ", expected " + expected[t][c]);
                }
            }
        }
    }

    private static double[][] reference(float[] x, float[] w, float[] gamma, float[] beta, int frames) {
        double[][] y = new double[frames][CHANNELS];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int j = 0; j < KERNEL; j++) y[t][c] += (double) x[t * STRIDE + j] * w[j * CHANNELS + c];
            }
        }
        for (int c = 0; c < CHANNELS; c++) {
            double mean = 0, variance = 0;
            for (double[] row : y) mean += row[c] / frames;
            for (double[] row : y) variance += (row[c] - mean) * (row[c] - mean) / frames;
            for (double[] row : y) row[c] = (row[c] - mean) / Math.sqrt(variance + 1e-5) * gamma[c] + beta[c];
        }
        for (int t = 0; t < frames; t++) y[t] = ActivationReference.gelu(y[t]);
        return y;
    }
}
