package ser.audio;

/** Test signals and the measurements taken on them. */
final class Signals {

    private Signals() {}

    static float[] tone(double hz, int rate, int length) {
        float[] x = new float[length];
        for (int n = 0; n < length; n++) x[n] = (float) Math.sin(2 * Math.PI * hz * n / rate);
        return x;
    }

    /** The phase of a linear chirp from {@code f0} to {@code f1} Hz over {@code seconds}, at time {@code t}. */
    static double chirpPhase(double f0, double f1, double seconds, double t) {
        return 2 * Math.PI * (f0 * t + (f1 - f0) * t * t / (2 * seconds));
    }

    static float[] chirp(double f0, double f1, double seconds, int rate) {
        float[] x = new float[(int) (seconds * rate)];
        for (int n = 0; n < x.length; n++) x[n] = (float) Math.sin(chirpPhase(f0, f1, seconds, (double) n / rate));
        return x;
    }

    /**
     * The amplitude of the {@code hz} component of {@code x[from, to)}: one bin of a Hann-windowed DFT, scaled so
     * that a unit sine at {@code hz} reads 1. The window keeps a strong tone elsewhere from leaking into the bin.
     */
    static double amplitudeAt(float[] x, int from, int to, double hz, int rate) {
        double re = 0, im = 0, windowSum = 0;
        int length = to - from;
        for (int n = 0; n < length; n++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / (length - 1));
            double angle = 2 * Math.PI * hz * n / rate;
            re += w * x[from + n] * Math.cos(angle);
            im -= w * x[from + n] * Math.sin(angle);
            windowSum += w;
        }
        return 2 * Math.hypot(re, im) / windowSum;
    }

    static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int n = from; n < to; n++) sum += (double) x[n] * x[n];
        return Math.sqrt(sum / (to - from));
    }

    static double decibels(double amplitude) {
        return 20 * Math.log10(amplitude);
    }
}
