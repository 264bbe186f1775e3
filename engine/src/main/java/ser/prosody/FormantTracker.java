package ser.prosody;

import ser.audio.Resampler;

import java.util.Arrays;

/**
 * Formant frequencies per frame, as Praat's {@code To Formant (burg)} finds them: resample to twice the highest
 * formant frequency (so that the predictor spends its poles below it), pre-emphasise (formants stand out over the
 * voice source's falling spectrum), window with a Gaussian twice the nominal window length, fit a Burg predictor of
 * twice the number of formants, and read each complex root pair as one resonance. Resonances within the safety
 * margin of 0 Hz or of the highest frequency are dropped; the rest are sorted.
 */
public final class FormantTracker {

    /** Praat's safety margin around 0 Hz and the highest frequency. */
    private static final double MARGIN = 50;

    private final int rate;
    private final int formants;
    private final double maximumFrequency, windowLength, preEmphasisFrom, timeStep;

    /** Praat's {@code To Formant (burg): 0, 5, 5500, 0.025, 50} (time step 0 means a quarter window). */
    public FormantTracker(int rate) {
        this(rate, 5, 5500, 0.025, 50, 0.025 / 4);
    }

    public FormantTracker(int rate, int formants, double maximumFrequency, double windowLength, double preEmphasisFrom, double timeStep) {
        this.rate = rate;
        this.formants = formants;
        this.maximumFrequency = maximumFrequency;
        this.windowLength = windowLength;
        this.preEmphasisFrom = preEmphasisFrom;
        this.timeStep = timeStep;
    }

    public FrameGrid grid(int samples) {
        return FrameGrid.fit(samples, rate, 2 * windowLength, timeStep);
    }

    /** Per frame of {@link #grid}, the frequencies of the lowest {@code count} formants in Hz (NaN where missing). */
    public double[][] track(float[] x, int count) {
        FrameGrid frames = grid(x.length);
        boolean[] all = new boolean[frames.count()];
        java.util.Arrays.fill(all, true);
        return at(x, frames, count, all);
    }

    /**
     * The same at the frames of any grid (e.g. the pitch's), each analysed around its own centre; frames not
     * {@code wanted} are skipped (all NaN), which saves the root solving where no formant is asked for.
     */
    public double[][] at(float[] x, FrameGrid frames, int count, boolean[] wanted) {
        int analysisRate = (int) Math.round(2 * maximumFrequency);
        float[] y = analysisRate == rate ? x.clone() : Resampler.resample(x, rate, analysisRate);
        double emphasis = Math.exp(-2 * Math.PI * preEmphasisFrom / analysisRate);
        for (int i = y.length - 1; i >= 1; i--) y[i] -= (float) (emphasis * y[i - 1]);
        // Our resampler puts output sample n at input sample n * rate / analysisRate.
        double firstTime = 0.5 / rate;
        int windowSamples = (int) Math.floor(2 * windowLength * analysisRate), half = windowSamples / 2;
        double[] window = gaussian(windowSamples);
        double[] frame = new double[windowSamples];
        double[][] out = new double[frames.count()][];
        for (int t = 0; t < frames.count(); t++) {
            if (!wanted[t]) {
                out[t] = new double[count];
                Arrays.fill(out[t], Double.NaN);
                continue;
            }
            int left = (int) Math.floor((frames.time(t) - firstTime) * analysisRate), right = left + 1;
            int start = Math.max(0, right - half), end = Math.min(y.length - 1, left + half);
            int n = Math.max(0, end - start + 1);
            for (int j = 0; j < n; j++) frame[j] = y[start + j] * window[j];
            out[t] = resonances(frame, n, analysisRate, count);
        }
        return out;
    }

    private double[] resonances(double[] frame, int n, int analysisRate, int count) {
        double[] result = new double[count];
        Arrays.fill(result, Double.NaN);
        if (n <= 2 * formants) return result;
        double[] a = Burg.predictor(frame, n, 2 * formants);
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) c[i] = -a[i];
        double[][] roots = PolynomialRoots.of(c);
        double nyquist = 0.5 * analysisRate;
        double[] found = new double[a.length];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            double re = roots[0][i], im = roots[1][i];
            if (im < 0) continue;
            // A root outside the unit circle is reflected inside: same frequency.
            double f = Math.abs(Math.atan2(im, re)) * nyquist / Math.PI;
            double bandwidth = -Math.log(re * re + im * im) * nyquist / Math.PI;
            if (f >= MARGIN && f <= nyquist - MARGIN && !tilt(f, bandwidth)) found[k++] = f;
        }
        Arrays.sort(found, 0, k);
        for (int i = 0; i < Math.min(k, count); i++) result[i] = found[i];
        return result;
    }

    /**
     * A pole low in frequency and broader than several times its frequency models the spectrum's overall tilt, not a
     * resonance of the vocal tract. Praat keeps such poles (it reported none of them on our fixtures, where its root
     * lay below the margin); here they would take F1's place, so they are dropped.
     */
    private static boolean tilt(double frequency, double bandwidth) {
        return frequency < 200 && bandwidth > 4 * frequency;
    }

    /** Praat's Gaussian window: reaches about exp(-12) at the edges, shifted and scaled to reach zero there. */
    private static double[] gaussian(int n) {
        double[] w = new double[n];
        double middle = 0.5 * (n + 1), edge = Math.exp(-12);
        for (int i = 1; i <= n; i++) {
            w[i - 1] = (Math.exp(-48.0 * (i - middle) * (i - middle) / ((n + 1.0) * (n + 1.0))) - edge) / (1 - edge);
        }
        return w;
    }
}
