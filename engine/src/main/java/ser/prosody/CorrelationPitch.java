package ser.prosody;

import ser.dsp.Fft;

/**
 * Pitch by short-term correlation, after Boersma (1993), "Accurate short-term analysis of the fundamental frequency
 * and the harmonics-to-noise ratio of a sampled sound", the algorithm behind Praat's {@code To Pitch (ac)} and
 * (with {@link Method#CROSS_CORRELATION}) {@code To Harmonicity (cc)}.
 *
 * <p>Per frame: remove the local mean, measure the local peak against the global one, correlate, collect the
 * correlation peaks as candidates (frequency from a parabola through the peak, strength from sinc interpolation),
 * refine each to the interpolated maximum, and finally choose a path through all frames' candidates
 * ({@link PitchPath}).
 *
 * <p>The autocorrelation method windows each frame with a Hann window and divides the frame's autocorrelation by the
 * window's own, which undoes the window's taper on long lags. The cross-correlation method correlates an unwindowed
 * stretch of one period of the floor with the stretch that many lags later, normalised by both energies.
 */
public final class CorrelationPitch {

    public enum Method { AUTOCORRELATION_HANN, CROSS_CORRELATION }

    /** Samples each side used to read a candidate's strength, and to refine its position. */
    private static final int STRENGTH_DEPTH = 30;
    private static final int REFINE_DEPTH_AC = 70, REFINE_DEPTH_CC = 700;
    private static final double REFINE_MARGIN_CC = 0.02, REFINE_MARGIN_AC = 0.3;

    private final PitchSettings settings;
    private final Method method;
    private final int rate;
    private final int periodSamples, halfPeriod;
    private final int windowSamples, halfWindow;
    private final double windowSeconds;
    private final int maximumLag;
    /** Lags at which the correlation is known (and interpolation may reach): 0 .. interpolationLags. */
    private final int interpolationLags;
    private final Fft fft;
    private final float[] hann;
    private final double[] hannAutocorrelation;

    public CorrelationPitch(PitchSettings settings, Method method, int rate) {
        this.settings = settings;
        this.method = method;
        this.rate = rate;
        periodSamples = (int) Math.floor(rate / settings.floor());
        halfPeriod = periodSamples / 2 + 1;
        windowSeconds = settings.periodsPerWindow() / settings.floor();
        halfWindow = (int) Math.floor(windowSeconds * rate) / 2 - 1;
        if (halfWindow < 2) throw new IllegalArgumentException("analysis window too short at " + rate + " Hz");
        windowSamples = 2 * halfWindow;
        maximumLag = Math.min(windowSamples, (int) Math.floor(windowSamples / settings.periodsPerWindow()) + 2);
        if (method == Method.AUTOCORRELATION_HANN) {
            // Half the window's length: longer lags rest on too little overlap to be trusted.
            interpolationLags = windowSamples / 2;
            int n = 1;
            while (n < windowSamples * 1.5) n *= 2;
            fft = new Fft(n);
            hann = new float[windowSamples];
            for (int j = 0; j < windowSamples; j++) hann[j] = (float) (0.5 - 0.5 * Math.cos((j + 1) * 2 * Math.PI / (windowSamples + 1)));
            hannAutocorrelation = autocorrelation(hann.clone(), true);
        } else {
            interpolationLags = windowSamples;
            fft = null;
            hann = null;
            hannAutocorrelation = null;
        }
    }

    /** The frames this analysis makes of {@code samples} samples. */
    public FrameGrid grid(int samples) {
        double span = method == Method.CROSS_CORRELATION ? 1 / settings.floor() + windowSeconds : windowSeconds;
        return FrameGrid.fit(samples, rate, span, settings.timeStep());
    }

    public PitchTrack track(float[] x) {
        FrameGrid grid = grid(x.length);
        PitchCandidates[] frames = new PitchCandidates[grid.count()];
        double globalPeak = globalPeak(x);
        double[] r = new double[2 * interpolationLags + 1];
        double[] frame = new double[windowSamples];
        for (int t = 0; t < frames.length; t++) {
            frames[t] = new PitchCandidates(settings.candidates());
            if (globalPeak > 0) analyse(x, grid.time(t), globalPeak, frame, r, frames[t]);
        }
        return PitchPath.choose(grid, frames, settings);
    }

    private void analyse(float[] x, double time, double globalPeak, double[] frame, double[] r, PitchCandidates out) {
        int left = FrameGrid.sampleBefore(time, rate), right = left + 1;
        double localMean = mean(x, right - periodSamples, left + periodSamples);
        int start = left - halfWindow;
        for (int j = 0; j < windowSamples; j++) frame[j] = sample(x, start + j) - localMean;
        // The autocorrelation method windows the frame before it looks for the local peak, as Praat does: a peak
        // off the frame's centre counts less.
        if (method == Method.AUTOCORRELATION_HANN) for (int j = 0; j < windowSamples; j++) frame[j] *= hann[j];
        double localPeak = 0;
        for (int j = Math.max(0, halfWindow - halfPeriod); j < Math.min(windowSamples, halfWindow + halfPeriod); j++) {
            localPeak = Math.max(localPeak, Math.abs(frame[j]));
        }
        out.intensity = Math.min(1, localPeak / globalPeak);
        if (localPeak == 0) return;
        java.util.Arrays.fill(r, 0);
        if (method == Method.AUTOCORRELATION_HANN) windowedAutocorrelation(frame, r);
        else crossCorrelation(x, time, localMean, r);
        collectPeaks(r, out);
    }

    private void windowedAutocorrelation(double[] frame, double[] r) {
        float[] windowed = new float[windowSamples];
        for (int j = 0; j < windowSamples; j++) windowed[j] = (float) frame[j];
        double[] ac = autocorrelation(windowed, false);
        int origin = interpolationLags;
        r[origin] = 1;
        for (int i = 1; i <= interpolationLags; i++) r[origin + i] = r[origin - i] = ac[i] / (ac[0] * hannAutocorrelation[i]);
    }

    /**
     * The autocorrelation at lags 0 .. interpolationLags of a zero-padded frame, as the power spectrum's transform;
     * divided by its value at lag 0 if {@code normalise}.
     */
    private double[] autocorrelation(float[] frame, boolean normalise) {
        int n = fft.size();
        float[] padded = new float[n], re = new float[fft.bins()], im = new float[fft.bins()];
        System.arraycopy(frame, 0, padded, 0, frame.length);
        fft.realForward(padded, re, im);
        // The power spectrum is real and even, so its forward transform is the autocorrelation (times n).
        float[] power = new float[n];
        for (int k = 0; k < fft.bins(); k++) {
            float p = re[k] * re[k] + im[k] * im[k];
            power[k] = p;
            if (k > 0 && k < n / 2) power[n - k] = p;
        }
        fft.realForward(power, re, im);
        double[] ac = new double[interpolationLags + 1];
        for (int i = 0; i <= interpolationLags; i++) ac[i] = re[i];
        if (normalise) for (int i = interpolationLags; i >= 0; i--) ac[i] /= ac[0];
        return ac;
    }

    private void crossCorrelation(float[] x, double time, double localMean, double[] r) {
        int start = Math.max(0, FrameGrid.sampleBefore(time - 0.5 * (1 / settings.floor() + windowSeconds), rate));
        int span = Math.min(maximumLag + windowSamples, x.length - start);
        int lags = Math.min(span - windowSamples, interpolationLags);
        // The stretch without its local mean, once, so that each lag's sum is a plain dot product.
        double[] y = new double[span];
        for (int j = 0; j < span; j++) y[j] = x[start + j] - localMean;
        double sumX2 = 0;
        for (int j = 0; j < windowSamples; j++) sumX2 += y[j] * y[j];
        double sumY2 = sumX2;
        int origin = interpolationLags;
        r[origin] = 1;
        for (int i = 1; i <= lags; i++) {
            double leaving = y[i - 1], entering = y[i - 1 + windowSamples];
            sumY2 += entering * entering - leaving * leaving;
            double product = 0;
            for (int j = 0; j < windowSamples; j++) product += y[j] * y[i + j];
            double denominator = Math.sqrt(sumX2 * sumY2);
            r[origin + i] = r[origin - i] = denominator > 0 ? product / denominator : 0;
        }
    }

    private void collectPeaks(double[] r, PitchCandidates out) {
        int origin = interpolationLags;
        int end = Math.min(maximumLag, interpolationLags);
        for (int i = 2; i < end; i++) {
            double here = r[origin + i], before = r[origin + i - 1], after = r[origin + i + 1];
            if (!(here > 0.5 * settings.voicingThreshold() && here > before && here >= after)) continue;
            double slope = 0.5 * (after - before), curvature = 2 * here - before - after;
            double lag = i + slope / curvature;
            double strength = SincPeak.interpolate(r, origin + lag, STRENGTH_DEPTH);
            // A short window can overshoot 1; reflecting keeps the order of strengths.
            if (strength > 1) strength = 1 / strength;
            out.offer(rate / lag, strength, i, settings.octaveCost(), settings.floor());
        }
        int depth = method == Method.AUTOCORRELATION_HANN ? REFINE_DEPTH_AC : REFINE_DEPTH_CC;
        // Refinement moves a strength by far less than these margins. Without path costs (harmonicity) only the
        // strongest candidate can win; with them, a much weaker candidate is rarely on the path, and where it is, its
        // parabolic estimate is close. Leaving such candidates unrefined saves most of the analysis's time.
        double strongest = 0;
        for (int c = 1; c < out.count; c++) strongest = Math.max(strongest, out.strength[c]);
        double refineFrom = strongest - (method == Method.CROSS_CORRELATION && settings.octaveCost() == 0 ? REFINE_MARGIN_CC : REFINE_MARGIN_AC);
        for (int c = 1; c < out.count; c++) {
            if (out.strength[c] < refineFrom) continue;
            double[] best = SincPeak.refineMaximum(r, origin + out.peak[c], depth);
            out.frequency[c] = rate / (best[0] - origin);
            out.strength[c] = best[1] > 1 ? 1 / best[1] : best[1];
        }
    }

    private static double globalPeak(float[] x) {
        double mean = 0;
        for (float v : x) mean += v;
        mean /= Math.max(1, x.length);
        double peak = 0;
        for (float v : x) peak = Math.max(peak, Math.abs(v - mean));
        return peak;
    }

    /** The sum of x[from..to] divided by the stretch's nominal length, which is what Praat does at the edges too. */
    private static double mean(float[] x, int from, int to) {
        double sum = 0;
        for (int i = Math.max(0, from); i <= Math.min(x.length - 1, to); i++) sum += x[i];
        return sum / (to - from + 1);
    }

    private static double sample(float[] x, int i) {
        return i >= 0 && i < x.length ? x[i] : 0;
    }
}
