package ser.cli;

import java.util.SplittableRandom;

/**
 * A voice-like test signal for the command tests: a harmonic source whose pitch rises and falls, shaped by three
 * formants that glide between the vowels /a/, /i/ and /u/, in syllables of about 4 per second. It shows in a
 * spectrogram what speech shows (harmonic stripes that bend, formant bands, gaps between syllables) without
 * shipping a recording.
 */
final class DemoVoice {

    /** Formant frequencies F1, F2, F3 (Hz) of the vowels the voice glides through. */
    private static final double[][] VOWELS = {{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240}};
    private static final double[] BANDWIDTHS = {90, 110, 170};
    private static final double SYLLABLES_PER_SECOND = 4;

    private DemoVoice() {}

    /** {@code seconds} of the voice at {@code sampleRate}, peak 0.5; the same every time. */
    static float[] synthesize(int sampleRate, double seconds) {
        int n = (int) Math.round(seconds * sampleRate);
        float[] out = new float[n];
        SplittableRandom noise = new SplittableRandom(1);
        double phase = 0;
        double peak = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double progress = t / seconds;
            // Pitch: a rise and fall over the phrase (120 -> 210 -> 120 Hz) with a slight 5.5 Hz vibrato.
            double f0 = 120 + 90 * Math.sin(Math.PI * progress) + 3 * Math.sin(2 * Math.PI * 5.5 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double[] formants = vowelAt(progress * (VOWELS.length - 1) * 2);
            double sample = 0;
            for (int k = 1; k * f0 < sampleRate / 2.0 - 200; k++) {
                sample += harmonicGain(k * f0, formants) / k * Math.sin(k * phase);
            }
            double envelope = syllables(t) * fade(t, seconds);
            out[i] = (float) (envelope * (sample + 0.003 * noise.nextGaussian()));
            peak = Math.max(peak, Math.abs(out[i]));
        }
        for (int i = 0; i < n; i++) out[i] = (float) (out[i] * 0.5 / peak);
        return out;
    }

    /** Formants at position {@code x} along the vowel path /a/ /i/ /u/ /i/ /a/ ... (linear glides). */
    private static double[] vowelAt(double x) {
        int cycle = 2 * (VOWELS.length - 1);
        double pos = x % cycle;
        if (pos > VOWELS.length - 1) pos = cycle - pos;
        int a = (int) Math.min(pos, VOWELS.length - 2);
        double f = pos - a;
        double[] out = new double[3];
        for (int j = 0; j < 3; j++) out[j] = VOWELS[a][j] * (1 - f) + VOWELS[a + 1][j] * f;
        return out;
    }

    /** The vocal tract's gain at {@code freq}: resonance peaks at the formants over a floor. */
    private static double harmonicGain(double freq, double[] formants) {
        double gain = 0.05;
        for (int j = 0; j < formants.length; j++) {
            double d = (freq - formants[j]) / BANDWIDTHS[j];
            gain += Math.exp(-0.5 * d * d) / (j + 1);
        }
        return gain;
    }

    /** Loudness of the syllables: raised-cosine bursts with a short gap between them. */
    private static double syllables(double t) {
        double s = (t * SYLLABLES_PER_SECOND) % 1;
        return s < 0.8 ? Math.sin(Math.PI * s / 0.8) : 0;
    }

    /** 0.2 s of silence at each end, so the spectrogram shows where the voice starts and stops. */
    private static double fade(double t, double seconds) {
        return t < 0.2 || t > seconds - 0.2 ? 0 : 1;
    }
}
