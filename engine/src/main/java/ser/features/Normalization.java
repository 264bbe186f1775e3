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
}
