package ser.cuda;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every kernel against its CPU reference on awkward sizes. Skips, with the reason, where no GPU is usable. */
class KernelParityTest {

    static Cuda.Device dev;

    @BeforeAll
    static void gpu() {
        Cuda.Availability a = Cuda.availability();
        assumeTrue(a.available(), "no usable GPU: " + a.reason());
        dev = Cuda.device();
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length);
        double max = 1e-6;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * max, what + " at " + i);
        }
    }

    @Test
    void featureEncoderKernels() {
        int batch = 2, samples = 1603, channels = 33, kernel = 10, stride = 5, frames = (samples - kernel) / stride + 1;
        float[] x = random(batch * samples, 1), w = random(channels * kernel, 2);
        float[] g = random(channels, 3), b = random(channels, 4);
        float[] want = new float[batch * channels * frames];
        KernelReference.conv1dFirst(x, w, want, batch, samples, channels, kernel, stride, frames);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dw = Transfers.upload(dev, arena, w);
            long dy = arena.allocateFloats(want.length);
            dev.kernels().conv1dFirst(dx, dw, dy, batch, samples, channels, kernel, stride, frames);
            assertClose(want, Transfers.download(dev, dy, want.length), 1e-5, "conv1d_first");
            KernelReference.groupNormGelu(want, g, b, batch, channels, frames, 1e-5f);
            dev.kernels().groupNormGelu(dy, Transfers.upload(dev, arena, g), Transfers.upload(dev, arena, b),
                    batch, channels, frames, 1e-5f);
            assertClose(want, Transfers.download(dev, dy, want.length), 1e-5, "group_norm_gelu");
        }
    }

    @Test
    void layerNormAndMaskedSoftmax() {
        int rows = 17, cols = 769;
        float[] x = random(rows * cols, 5), g = random(cols, 6), b = random(cols, 7), want = new float[x.length];
        KernelReference.layerNorm(x, want, g, b, rows, cols, 1e-5f);
        int batch = 2, heads = 3, t = 37;
        int[] lengths = {37, 20};
        float[] s = random(batch * heads * t * t, 8), sWant = s.clone();
        KernelReference.softmaxMasked(sWant, lengths, batch, heads, t, t, 0.125f);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dy = arena.allocateFloats(x.length);
            dev.kernels().layerNorm(dx, dy, Transfers.upload(dev, arena, g), Transfers.upload(dev, arena, b), rows, cols, 1e-5f);
            assertClose(want, Transfers.download(dev, dy, x.length), 1e-5, "layer_norm");
            long ds = Transfers.upload(dev, arena, s);
            dev.kernels().softmaxMasked(ds, Transfers.upload(dev, arena, lengths), batch, heads, t, t, 0.125f);
            assertClose(sWant, Transfers.download(dev, ds, s.length), 1e-5, "softmax_masked");
        }
    }

    @Test
    void positionalConvolutionAndPooling() {
        int batch = 2, t = 23, dim = 32, groups = 4, kernel = 8;
        float[] x = random(batch * t * dim, 9), w = random(dim * (dim / groups) * kernel, 10), bias = random(dim, 11);
        float[] want = new float[x.length];
        KernelReference.posConvGelu(x, w, bias, want, batch, t, dim, groups, kernel);
        int[] lengths = {23, 11};
        float[] pooled = new float[batch * dim];
        KernelReference.meanPoolMasked(x, lengths, pooled, batch, t, dim);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dy = arena.allocateFloats(x.length);
            dev.kernels().posConvGelu(dx, Transfers.upload(dev, arena, w), Transfers.upload(dev, arena, bias), dy,
                    batch, t, dim, groups, kernel);
            assertClose(want, Transfers.download(dev, dy, x.length), 1e-5, "pos_conv_gelu");
            long dp = arena.allocateFloats(pooled.length);
            dev.kernels().meanPoolMasked(dx, Transfers.upload(dev, arena, lengths), dp, batch, t, dim);
            assertClose(pooled, Transfers.download(dev, dp, pooled.length), 1e-5, "mean_pool_masked");
        }
    }

    @Test
    void gemmPrecisions() {
        int m = 37, n = 65, k = 129;
        float[] a = random(m * k, 12), b = random(n * k, 13), want = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
                want[i * n + j] = (float) s;
            }
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long da = Transfers.upload(dev, arena, a), db = Transfers.upload(dev, arena, b), dc = arena.allocateFloats(m * n);
            dev.cublas().gemmRowMajor(Cublas.Precision.FP32, false, true, m, n, k, da, k, 0, db, k, 0, dc, n, 0, 1, false);
            assertClose(want, Transfers.download(dev, dc, m * n), 1e-5, "sgemm fp32");
            dev.cublas().gemmRowMajor(Cublas.Precision.TF32, false, true, m, n, k, da, k, 0, db, k, 0, dc, n, 0, 1, false);
            assertClose(want, Transfers.download(dev, dc, m * n), 5e-3, "gemm tf32");
        }
    }
}
