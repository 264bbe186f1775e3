package ser.dsp;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scalar FFT against a naive DFT, and the frame-batched SIMD FFT against both. */
class FftTest {

    /** Sizes from the smallest (one radix-2 stage) through ones whose batched transform recurses twice. */
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
    void scalarRealForwardMatchesNaiveDft(int n) {
        float[] x = gaussian(n, new Random(n));
        double[][] exact = dft(x);
        float[] re = new float[n / 2 + 1], im = new float[n / 2 + 1];
        new Fft(n).realForward(x, re, im);
        double scale = tolerance(x);
        for (int k = 0; k <= n / 2; k++) {
            assertEquals(exact[0][k], re[k], scale, "Re X[" + k + "] of " + n);
            assertEquals(exact[1][k], im[k], scale, "Im X[" + k + "] of " + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096})
    void batchedComplexForwardMatchesNaiveDftInBitReversedOrder(int n) {
        Fft plan = new Fft(n);
        BatchFft fft = new BatchFft(plan);
        int m = n / 2, lanes = fft.lanes();
        Random random = new Random(n + 1);
        float[][] zr = new float[lanes][], zi = new float[lanes][];
        float[] re = new float[m * lanes], im = new float[m * lanes];
        for (int l = 0; l < lanes; l++) {
            zr[l] = gaussian(m, random);
            zi[l] = gaussian(m, random);
            for (int j = 0; j < m; j++) {
                re[j * lanes + l] = zr[l][j];
                im[j * lanes + l] = zi[l][j];
            }
        }
        fft.complexForward(re, im);
        double[][] w = unitRoots(m);
        for (int l = 0; l < lanes; l++) {
            double scale = tolerance(zr[l]) + tolerance(zi[l]);
            for (int k = 0; k < m; k++) {
                double sr = 0, si = 0;
                for (int j = 0; j < m; j++) {
                    int jk = (int) ((long) j * k % m);
                    sr += zr[l][j] * w[0][jk] - zi[l][j] * w[1][jk];
                    si += zr[l][j] * w[1][jk] + zi[l][j] * w[0][jk];
                }
                int row = plan.bitReversed[k];
                assertEquals(sr, re[row * lanes + l], scale, "Re Z[" + k + "], lane " + l);
                assertEquals(si, im[row * lanes + l], scale, "Im Z[" + k + "], lane " + l);
            }
        }
    }

    /** The batched power spectrum, every lane its own frame, against the scalar FFT's, for each kind of exponent. */
    @ParameterizedTest
    @ValueSource(ints = {4, 8, 64, 512, 1024, 4096})
    void batchedPowerSpectrumMatchesScalarFft(int n) {
        Fft plan = new Fft(n);
        BatchFft fft = new BatchFft(plan);
        int m = n / 2, lanes = fft.lanes();
        Random random = new Random(n + 2);
        float[][] frames = new float[lanes][];
        for (double exponent : new double[] {2, 1, 0.5}) {
            float[] re = new float[m * lanes], im = new float[m * lanes], power = new float[(m + 1) * lanes];
            for (int l = 0; l < lanes; l++) {
                frames[l] = gaussian(n, random);
                for (int j = 0; j < m; j++) {  // packed pre-scaled by 1/2, as Stft packs
                    re[j * lanes + l] = 0.5f * frames[l][2 * j];
                    im[j * lanes + l] = 0.5f * frames[l][2 * j + 1];
                }
            }
            fft.complexForward(re, im);
            fft.powerSpectrum(re, im, power, exponent);
            float[] xr = new float[m + 1], xi = new float[m + 1];
            for (int l = 0; l < lanes; l++) {
                plan.realForward(frames[l], xr, xi);
                for (int k = 0; k <= m; k++) {
                    double magnitude = Math.hypot(xr[k], xi[k]), error = 2 * tolerance(frames[l]);
                    // Both sides are off by up to `error` in magnitude: |X|^e moves by e |X|^(e-1) times that.
                    double allowed = exponent * Math.pow(Math.max(magnitude, error), exponent - 1) * error;
                    assertEquals(Math.pow(magnitude, exponent), power[k * lanes + l], allowed,
                            "bin " + k + " lane " + l + " exponent " + exponent);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 6, 1000})
    void refusesSizesThatAreNotPowersOfTwoFromFour(int n) {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new Fft(n));
        assertTrue(e.getMessage().contains(String.valueOf(n)));
    }

    /** Float rounding of an FFT grows like log n times the signal's size: allow a generous multiple of that. */
    static double tolerance(float[] x) {
        double norm = 0;
        for (float v : x) norm += v * v;
        return 1e-6 * Math.sqrt(norm) * (1 + Math.log(x.length));
    }

    /** The naive one-sided DFT, in double. */
    static double[][] dft(float[] x) {
        int n = x.length;
        double[][] w = unitRoots(n), out = new double[2][n / 2 + 1];
        for (int k = 0; k <= n / 2; k++) {
            for (int t = 0; t < n; t++) {
                int tk = (int) ((long) t * k % n);
                out[0][k] += x[t] * w[0][tk];
                out[1][k] += x[t] * w[1][tk];
            }
        }
        return out;
    }

    /** cos and sin of -2 pi k / n, k in [0, n). */
    static double[][] unitRoots(int n) {
        double[][] w = new double[2][n];
        for (int k = 0; k < n; k++) {
            w[0][k] = Math.cos(-2 * Math.PI * k / n);
            w[1][k] = Math.sin(-2 * Math.PI * k / n);
        }
        return w;
    }

    static float[] gaussian(int n, Random random) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian();
        return x;
    }
}
