package ser.features;

/** Input normalisations applied to each example on its own (no statistics from the training set to carry around). */
final class Normalization {

    /** Keeps constant inputs (digital silence) finite instead of dividing by zero. */
    private static final double MIN_STD = 1e-5;

    private Normalization() {}

    /** Mean 0 and standard deviation 1 over all values, in place; sums in double so long clips lose nothing. */
    static void perUtterance(float[] x) {
        standardize(x, 0, x.length);
    }

    /**
     * Each of {@code bands} rows of a {@code [bands, frames]} spectrogram to mean 0 and standard deviation 1 over
     * its frames, in place.
     */
    static void perBand(float[] x, int bands) {
        int frames = x.length / bands;
        for (int b = 0; b < bands; b++) standardize(x, b * frames, (b + 1) * frames);
    }

    private static void standardize(float[] x, int from, int to) {
        double sum = 0, squares = 0;
        for (int i = from; i < to; i++) sum += x[i];
        double mean = sum / (to - from);
        for (int i = from; i < to; i++) squares += (x[i] - mean) * (x[i] - mean);
        double scale = 1 / Math.max(Math.sqrt(squares / (to - from)), MIN_STD);
        for (int i = from; i < to; i++) x[i] = (float) ((x[i] - mean) * scale);
    }
}
