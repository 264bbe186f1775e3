package ser.prosody;

/**
 * Harmonics-to-noise ratio per frame, as Praat's {@code To Harmonicity (cc)} computes it: a cross-correlation pitch
 * analysis with no path costs (each frame keeps its strongest candidate, up to the Nyquist frequency) and a window
 * of one period of the floor; a frame's correlation r becomes 10 log10(r / (1 - r)) dB.
 */
public final class Harmonicity {

    /** The value Praat gives an unvoiced (silent) frame; means skip it. */
    public static final double UNVOICED = -200;

    private final CorrelationPitch analysis;

    /** Praat's defaults: {@code To Harmonicity (cc): 0.01, 75, 0.1, 1.0}. */
    public Harmonicity(int rate) {
        this(rate, 0.01, 75, 0.1, 1.0);
    }

    public Harmonicity(int rate, double timeStep, double floor, double silenceThreshold, double periodsPerWindow) {
        PitchSettings settings = new PitchSettings(floor, 0.5 * rate, 15, silenceThreshold, 0, 0, 0, 0, periodsPerWindow, timeStep);
        analysis = new CorrelationPitch(settings, CorrelationPitch.Method.CROSS_CORRELATION, rate);
    }

    public FrameGrid grid(int samples) {
        return analysis.grid(samples);
    }

    /** Per frame, dB; {@link #UNVOICED} where the frame is silent. */
    public double[] track(float[] x) {
        PitchTrack track = analysis.track(x);
        double[] out = new double[track.frames()];
        for (int t = 0; t < out.length; t++) {
            double r = track.strength()[t];
            out[t] = !track.voiced(t) ? UNVOICED : r <= 1e-15 ? -150 : r > 1 - 1e-15 ? 150 : 10 * Math.log10(r / (1 - r));
        }
        return out;
    }

    /** The mean over frames that are not {@link #UNVOICED}; NaN when there are none. */
    public static double mean(double[] hnr) {
        double sum = 0;
        int n = 0;
        for (double v : hnr) {
            if (v == UNVOICED) continue;
            sum += v;
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
