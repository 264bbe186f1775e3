package ser.prosody;

/**
 * Computes the {@link ProsodyTracks} of a 16 kHz clip: pitch (Praat's {@code To Pitch (ac)}), glottal pulses with
 * jitter and shimmer, HNR ({@code To Harmonicity (cc)}), formants ({@code To Formant (burg)}) and the spectral
 * descriptors, all read on the pitch analysis's frames. Thread-safe: each call builds its own buffers.
 */
public final class ProsodyAnalyzer {

    public static final int SAMPLE_RATE = SpectralDescriptors.SAMPLE_RATE;

    private final PitchSettings pitchSettings;
    private final double formantCeiling;

    public ProsodyAnalyzer(PitchSettings pitchSettings, double formantCeiling) {
        this.pitchSettings = pitchSettings;
        this.formantCeiling = formantCeiling;
    }

    public ProsodyTracks analyse(float[] x) {
        CorrelationPitch pitchAnalysis = new CorrelationPitch(pitchSettings, CorrelationPitch.Method.AUTOCORRELATION_HANN, SAMPLE_RATE);
        // A clip shorter than one pitch window still gets one frame, centred, so that every clip has descriptors.
        float[] padded = x;
        double minimum = 0.5 + pitchSettings.periodsPerWindow() / pitchSettings.floor();
        if (x.length < minimum * SAMPLE_RATE) {
            padded = new float[(int) Math.ceil(minimum * SAMPLE_RATE)];
            System.arraycopy(x, 0, padded, (padded.length - x.length) / 2, x.length);
        }
        PitchTrack pitch = pitchAnalysis.track(padded);
        FrameGrid grid = pitch.grid();
        int n = pitch.frames();
        boolean[] voiced = new boolean[n];
        double[] semitones = new double[n];
        for (int t = 0; t < n; t++) {
            voiced[t] = pitch.voiced(t);
            semitones[t] = voiced[t] ? ProsodyTracks.semitones(pitch.f0()[t]) : Double.NaN;
        }

        double[] pulses = GlottalPulses.find(padded, SAMPLE_RATE, pitch);
        double jitter = Perturbation.jitter(pulses), shimmer = Perturbation.shimmer(padded, SAMPLE_RATE, pulses);

        Harmonicity harmonicity = new Harmonicity(SAMPLE_RATE, pitchSettings.timeStep(), pitchSettings.floor(), 0.1, 1.0);
        double[] hnrFrames = harmonicity.track(padded);
        FrameGrid hnrGrid = harmonicity.grid(padded.length);
        double[] hnr = new double[n];
        for (int t = 0; t < n; t++) {
            double value = nearest(hnrFrames, hnrGrid, grid.time(t));
            hnr[t] = voiced[t] && value != Harmonicity.UNVOICED ? value : Double.NaN;
        }

        double[][] formants = new FormantTracker(SAMPLE_RATE, 5, formantCeiling, 0.025, 50, 0.025 / 4).at(padded, grid, 3, voiced);
        double[] f1 = new double[n], f2 = new double[n], f3 = new double[n];
        for (int t = 0; t < n; t++) {
            f1[t] = voiced[t] ? formants[t][0] : Double.NaN;
            f2[t] = voiced[t] ? formants[t][1] : Double.NaN;
            f3[t] = voiced[t] ? formants[t][2] : Double.NaN;
        }
        SpectralDescriptors.Tracks spectral = new SpectralDescriptors().compute(padded, grid);
        return new ProsodyTracks(grid.step(), (double) x.length / SAMPLE_RATE, voiced, semitones, hnr, f1, f2, f3, spectral,
                jitter, shimmer);
    }

    private static double nearest(double[] values, FrameGrid grid, double time) {
        if (values.length == 0) return Harmonicity.UNVOICED;
        int i = (int) Math.round((time - grid.first()) / grid.step());
        return values[Math.max(0, Math.min(values.length - 1, i))];
    }
}
