package ser.features;

/** Input normalisations applied to each example on its own (no statistics from the training set to carry around). */
final class Normalization {

    /** Keeps constant inputs (digital silence) finite instead of dividing by zero. */
    private static final double MIN_STD = 1e-5;

    private Normalization() {}

    /** Mean 0 and standard deviation 1 over all values, in place; sums in double so long clips lose nothing. */
    static void perUtterance(float[] x) {
        double sum = 0, squares = 0;
        for (float v : x) sum += v;
        double mean = sum / x.length;
        for (float v : x) squares += (v - mean) * (v - mean);
        double scale = 1 / Math.max(Math.sqrt(squares / x.length), MIN_STD);
        for (int i = 0; i < x.length; i++) x[i] = (float) ((x[i] - mean) * scale);
    }

    /**
     * Each of {@code bands} rows of a {@code [bands, frames]} spectrogram to mean 0 and standard deviation 1 over
     * its frames, in place.
     */
    static void perBand(float[] x, int bands) {
        int frames = x.length / bands;
        for (int b = 0; b < bands; b++) {
            int base = b * frames;
            double sum = 0, squares = 0;
            for (int t = 0; t < frames; t++) sum += x[base + t];
            double mean = sum / frames;
            for (int t = 0; t < frames; t++) squares += (x[base + t] - mean) * (x[base + t] - mean);
            double scale = 1 / Math.max(Math.sqrt(squares / frames), MIN_STD);
            for (int t = 0; t < frames; t++) x[base + t] = (float) ((x[base + t] - mean) * scale);
        }
    }
}
