package ser.synth;

/**
 * Plain textbook measurements, independent of the synthesiser's internals, for checking that what it wrote
 * sounds the way its profiles say.
 */
final class AcousticMeasures {

    private static final int FRAME = 640, HOP = 320;       // 40 ms frames, 20 ms hop at 16 kHz
    private static final double MIN_F0 = 60, MAX_F0 = 600;
    private static final double VOICED_CORRELATION = 0.6;

    private AcousticMeasures() {}

    static double rms(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum / x.length);
    }

    /**
     * Mean F0 over voiced frames by normalised autocorrelation: for each loud frame, the lag in the speech pitch
     * range with the highest correlation, kept when that correlation shows clear periodicity. NaN if no frame is.
     */
    static double meanF0(float[] x, int sampleRate) {
        int minLag = (int) (sampleRate / MAX_F0), maxLag = (int) Math.ceil(sampleRate / MIN_F0);
        double loud = 0.1 * maxFrameRms(x);
        double sum = 0;
        int voiced = 0;
        for (int start = 0; start + FRAME + maxLag <= x.length; start += HOP) {
            if (frameRms(x, start, FRAME) < loud) {
                continue;
            }
            double best = 0;
            int bestLag = 0;
            for (int lag = minLag; lag <= maxLag; lag++) {
                double xy = 0, xx = 0, yy = 0;
                for (int i = start; i < start + FRAME; i++) {
                    xy += x[i] * x[i + lag];
                    xx += x[i] * x[i];
                    yy += x[i + lag] * x[i + lag];
                }
                double r = xy / Math.sqrt(xx * yy + 1e-20);
                if (r > best) {
                    best = r;
                    bestLag = lag;
                }
            }
            if (best > VOICED_CORRELATION) {
                sum += sampleRate / (double) bestLag;
                voiced++;
            }
        }
        return voiced == 0 ? Double.NaN : sum / voiced;
    }

    /** Power-weighted mean frequency of the loud frames' Hann-windowed spectra (naive DFT: slow but obvious). */
    static double spectralCentroid(float[] x, int sampleRate) {
        int n = 512;
        double[] window = new double[n];
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        double[] cos = new double[n], sin = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = Math.sin(2 * Math.PI * i / n);
        }
        double loud = 0.1 * maxFrameRms(x);
        double weighted = 0, total = 0;
        for (int start = 0; start + n <= x.length; start += n / 2) {
            if (frameRms(x, start, n) < loud) {
                continue;
            }
            for (int k = 0; k <= n / 2; k++) {
                double re = 0, im = 0;
                for (int i = 0; i < n; i++) {
                    double v = x[start + i] * window[i];
                    int phase = (int) ((long) k * i % n);
                    re += v * cos[phase];
                    im -= v * sin[phase];
                }
                double power = re * re + im * im;
                weighted += power * k * sampleRate / (double) n;
                total += power;
            }
        }
        return weighted / total;
    }

    private static double maxFrameRms(float[] x) {
        double max = 0;
        for (int start = 0; start + FRAME <= x.length; start += HOP) {
            max = Math.max(max, frameRms(x, start, FRAME));
        }
        return max;
    }

    private static double frameRms(float[] x, int start, int length) {
        double sum = 0;
        for (int i = start; i < start + length; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / length);
    }
}
