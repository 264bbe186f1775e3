package ser.audio;

/**
 * The low-pass interpolation filter that takes a signal from one sample rate to another, {@code up/down} times
 * the first (gcd-reduced), cut into {@code up} phases: output sample {@code n} sits at input time
 * {@code n * down / up}, whose fractional part {@code p / up} picks the row of taps.
 *
 * <p>The taps are a windowed sinc: ideal low-pass, cut off in the middle of a transition band that ends at the
 * lower of the two Nyquist frequencies (so nothing above the output's Nyquist folds back, and no image of the
 * input's spectrum survives), shaped by a Kaiser window sized for {@link #DESIGN_ATTENUATION_DB}.
 */
final class PolyphaseFilter {

    /** Kaiser's formulas are estimates: design 10 dB past the promised 80 dB of stop band. */
    static final double DESIGN_ATTENUATION_DB = 90;
    /** The part of the lower Nyquist band kept flat; the rest is the transition band. */
    static final double PASSBAND = 0.90;
    /** Above this many floats (16 MiB) rows are made per output sample instead of tabled up front. */
    private static final long MAX_TABLE_FLOATS = 1 << 22;

    final int up;
    final int down;
    /** Taps on each side of the output instant; a row has {@code 2 * halfWidth} of them. */
    final int halfWidth;
    private final double cutoff; // cycles per input sample
    private final double beta;
    private final float[] table; // up rows of 2 * halfWidth taps, or null when rows are made on demand

    PolyphaseFilter(int up, int down) {
        this.up = up;
        this.down = down;
        double nyquist = 0.5 * Math.min(1.0, (double) up / down); // the lower Nyquist, in cycles per input sample
        double transition = (1 - PASSBAND) * nyquist;
        this.cutoff = nyquist - transition / 2;
        this.beta = KaiserWindow.beta(DESIGN_ATTENUATION_DB);
        this.halfWidth = (int) Math.ceil(KaiserWindow.taps(DESIGN_ATTENUATION_DB, transition) / 2);
        this.table = (long) up * rowLength() <= MAX_TABLE_FLOATS ? tabulate() : null;
    }

    int rowLength() {
        return 2 * halfWidth;
    }

    /** The taps of {@code phase}: from the table, or computed into {@code scratch} when there is no table. */
    float[] row(int phase, float[] scratch) {
        if (table == null) {
            computeRow(phase, scratch, 0);
            return scratch;
        }
        return table;
    }

    /** Where {@code phase}'s taps start in the array {@link #row} returned. */
    int rowOffset(int phase) {
        return table == null ? 0 : phase * rowLength();
    }

    private float[] tabulate() {
        float[] taps = new float[up * rowLength()];
        for (int p = 0; p < up; p++) computeRow(p, taps, p * rowLength());
        return taps;
    }

    /**
     * Tap {@code k} weighs input sample {@code i - halfWidth + 1 + k} for an output at input time {@code i + p/up},
     * a distance {@code p/up + halfWidth - 1 - k} away. Each row is scaled to sum to 1, so DC passes exactly
     * whatever the phase.
     */
    private void computeRow(int phase, float[] dst, int offset) {
        double[] taps = new double[rowLength()];
        double sum = 0;
        for (int k = 0; k < taps.length; k++) {
            double distance = (double) phase / up + halfWidth - 1 - k;
            taps[k] = 2 * cutoff * sinc(2 * cutoff * distance) * KaiserWindow.at(beta, distance / halfWidth);
            sum += taps[k];
        }
        for (int k = 0; k < taps.length; k++) dst[offset + k] = (float) (taps[k] / sum);
    }

    private static double sinc(double x) {
        if (x == 0) return 1;
        double pix = Math.PI * x;
        return Math.sin(pix) / pix;
    }
}
