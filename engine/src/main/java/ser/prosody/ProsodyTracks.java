package ser.prosody;

/**
 * The low-level descriptors of one utterance on 10 ms frames (the pitch analysis's frames), plus the
 * utterance-level perturbation measures. Descriptors that only exist in voiced frames (F0, HNR, formants) are NaN
 * elsewhere.
 *
 * @param step        seconds between frames
 * @param seconds     the utterance's duration
 * @param f0Semitones F0 in semitones re 27.5 Hz
 * @param jitter      jitter (local), a fraction; NaN with too few periods
 * @param shimmer     shimmer (local), a fraction; NaN likewise
 */
public record ProsodyTracks(double step, double seconds, boolean[] voiced, double[] f0Semitones, double[] hnr,
                            double[] f1, double[] f2, double[] f3, SpectralDescriptors.Tracks spectral,
                            double jitter, double shimmer) {

    public int frames() {
        return voiced.length;
    }

    /** Semitones re 27.5 Hz (A0), the reference eGeMAPS uses. */
    public static double semitones(double hz) {
        return 12 * Math.log(hz / 27.5) / Math.log(2);
    }
}
