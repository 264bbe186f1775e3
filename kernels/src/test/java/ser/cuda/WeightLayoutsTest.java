package ser.cuda;

import org.junit.jupiter.api.Test;
import ser.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The engine's conv weights reordered for our kernels compute the same convs (checked on the CPU references). */
class WeightLayoutsTest {

    @Test
    void firstConvIsTransposed() {
        Tensor w = Tensor.wrap(KernelChecks.random(10 * 6, 1), 10, 6);  // [kernel, channels]
        float[] out = WeightLayouts.firstConv(w);
        for (int k = 0; k < 10; k++) for (int c = 0; c < 6; c++) assertEquals(w.get(k, c), out[c * 10 + k]);
        // conv1d_first over the reordered weights is the time-major window GEMM of the engine's layout
        int samples = 57, stride = 5, frames = (samples - 10) / stride + 1;
        float[] x = KernelChecks.random(samples, 2), y = new float[6 * frames];
        KernelReference.conv1dFirst(x, out, y, 1, samples, 6, 10, stride, frames);
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < 6; c++) {
                double s = 0;
                for (int k = 0; k < 10; k++) s += x[t * stride + k] * w.get(k, c);
                assertEquals(s, y[c * frames + t], 1e-5);
            }
    }

    @Test
    void positionalConvMatchesTheEngineLayout() {
        int groups = 4, width = 5, kernel = 6, dim = groups * width, t = 11, pad = kernel / 2;
        Tensor w = Tensor.wrap(KernelChecks.random(groups * kernel * width * width, 3), groups, kernel * width, width);
        float[] x = KernelChecks.random(t * dim, 4), bias = KernelChecks.random(dim, 5), y = new float[t * dim];
        KernelReference.posConvGelu(x, WeightLayouts.positionalConv(w), bias, y, 1, t, dim, groups, kernel);
        // The engine's reading of its own layout: group g's [kernel·width, width] block against a zero-padded window.
        float[] want = new float[t * dim];
        for (int s = 0; s < t; s++)
            for (int g = 0; g < groups; g++)
                for (int o = 0; o < width; o++) {
                    double acc = bias[g * width + o];
                    for (int k = 0; k < kernel; k++) {
                        int src = s + k - pad;
                        if (src < 0 || src >= t) continue;
                        for (int c = 0; c < width; c++) acc += w.get(g, k * width + c, o) * x[src * dim + g * width + c];
                    }
                    want[s * dim + g * width + o] = KernelReference.gelu((float) acc);
                }
        assertArrayEquals(want, y, 1e-5f);
    }
}
