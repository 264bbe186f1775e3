package ser.prosody;

import ser.dsp.Fft;
import ser.dsp.MelConfig;
import ser.dsp.MelFilterbank;

/**
 * The spectral low-level descriptors of one short frame, in the spirit of eGeMAPS: loudness, level, alpha ratio,
 * Hammarberg index, two spectral slopes, spectral flux and MFCC 1-4. Each frame is a 25 ms Hann window around the
 * frame's centre, in a 512-point FFT at 16 kHz.
 *
 * <ul>
 *   <li>loudness: the sum over 26 mel bands (20 Hz - 8 kHz) of band power to the power 0.3 (Stevens' law), a simple
 *       auditory weighting as openSMILE's eGeMAPS uses;</li>
 *   <li>level: 10 log10 of the frame's mean power, dB re full scale;</li>
 *   <li>alpha ratio: energy 50-1000 Hz over 1-5 kHz, dB;</li>
 *   <li>Hammarberg index: the strongest bin 0-2 kHz over the strongest 2-5 kHz, dB;</li>
 *   <li>slopes: least-squares slope of the power spectrum in dB against frequency in kHz, over 0-500 Hz and
 *       500-1500 Hz;</li>
 *   <li>flux: the squared change of the normalised magnitude spectrum since the previous frame;</li>
 *   <li>MFCC 1-4: DCT-II (orthonormal) of the log mel band powers.</li>
 * </ul>
 */
public final class SpectralDescriptors {

    static final int SAMPLE_RATE = 16_000, FFT_SIZE = 512, WINDOW = 400, BANDS = 26, MFCCS = 4;
    /** Keeps logarithms finite on digital silence: about -100 dB re full scale per bin. */
    private static final double FLOOR = 1e-10;

    private final Fft fft = new Fft(FFT_SIZE);
    private final MelFilterbank mel = new MelFilterbank(new MelConfig(SAMPLE_RATE, FFT_SIZE, WINDOW, 160, BANDS, 20, 8000,
            2.0, "htk", null, null, false, "constant"));
    private final float[] window = new float[WINDOW];
    private final double windowPower;

    SpectralDescriptors() {
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW));
            sum += window[i] * window[i];
        }
        windowPower = sum;
    }

    /** Per-frame tracks at the given frame centres. */
    public record Tracks(double[] loudness, double[] level, double[] alphaRatio, double[] hammarberg, double[] slopeLow,
                  double[] slopeHigh, double[] flux, double[][] mfcc) {}

    Tracks compute(float[] x, FrameGrid grid) {
        int n = grid.count(), bins = fft.bins();
        Tracks out = new Tracks(new double[n], new double[n], new double[n], new double[n], new double[n], new double[n],
                new double[n], new double[MFCCS][n]);
        float[] frame = new float[FFT_SIZE], re = new float[bins], im = new float[bins], power = new float[bins];
        float[] bands = new float[BANDS];
        double[] previous = new double[bins], magnitude = new double[bins];
        double binHz = (double) SAMPLE_RATE / FFT_SIZE;
        for (int t = 0; t < n; t++) {
            int start = FrameGrid.sampleBefore(grid.time(t), SAMPLE_RATE) - WINDOW / 2 + 1;
            java.util.Arrays.fill(frame, 0);
            for (int j = 0; j < WINDOW; j++) {
                int i = start + j;
                if (i >= 0 && i < x.length) frame[j] = x[i] * window[j];
            }
            fft.realForward(frame, re, im);
            double total = 0, magnitudeSum = 0;
            for (int k = 0; k < bins; k++) {
                // Power per bin scaled by the window, so that a full-scale sine reads near 0 dB whatever the window.
                power[k] = (float) ((re[k] * re[k] + im[k] * im[k]) / (windowPower * FFT_SIZE));
                total += power[k];
                magnitude[k] = Math.sqrt(power[k]);
                magnitudeSum += magnitude[k];
            }
            out.level[t] = 10 * Math.log10(total / bins + FLOOR);
            mel.apply(power, bands);
            double loudness = 0;
            for (float b : bands) loudness += Math.pow(b, 0.3);
            out.loudness[t] = loudness;
            double low = band(power, binHz, 50, 1000), high = band(power, binHz, 1000, 5000);
            out.alphaRatio[t] = 10 * Math.log10((low + FLOOR) / (high + FLOOR));
            out.hammarberg[t] = 10 * Math.log10((peak(power, binHz, 0, 2000) + FLOOR) / (peak(power, binHz, 2000, 5000) + FLOOR));
            out.slopeLow[t] = slope(power, binHz, 0, 500);
            out.slopeHigh[t] = slope(power, binHz, 500, 1500);
            double flux = 0;
            for (int k = 0; k < bins; k++) {
                double normalised = magnitudeSum > 0 ? magnitude[k] / magnitudeSum : 0;
                if (t > 0) flux += (normalised - previous[k]) * (normalised - previous[k]);
                previous[k] = normalised;
            }
            out.flux[t] = flux;
            for (int c = 1; c <= MFCCS; c++) {
                double sum = 0;
                for (int b = 0; b < BANDS; b++) sum += Math.log(bands[b] + FLOOR) * Math.cos(Math.PI * c * (b + 0.5) / BANDS);
                out.mfcc[c - 1][t] = sum * Math.sqrt(2.0 / BANDS);
            }
        }
        return out;
    }

    private static double band(float[] power, double binHz, double from, double to) {
        double sum = 0;
        for (int k = (int) Math.ceil(from / binHz); k * binHz < to && k < power.length; k++) sum += power[k];
        return sum;
    }

    private static double peak(float[] power, double binHz, double from, double to) {
        double max = 0;
        for (int k = (int) Math.ceil(from / binHz); k * binHz < to && k < power.length; k++) max = Math.max(max, power[k]);
        return max;
    }

    /** The least-squares slope of 10 log10(power) against frequency in kHz over [from, to], dB per kHz. */
    private static double slope(float[] power, double binHz, double from, double to) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int k = (int) Math.ceil(from / binHz); k * binHz <= to && k < power.length; k++) {
            double f = k * binHz / 1000, db = 10 * Math.log10(power[k] + FLOOR);
            sx += f;
            sy += db;
            sxx += f * f;
            sxy += f * db;
            n++;
        }
        double denominator = n * sxx - sx * sx;
        return denominator == 0 ? 0 : (n * sxy - sx * sy) / denominator;
    }
}
