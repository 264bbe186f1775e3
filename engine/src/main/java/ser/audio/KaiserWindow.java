package ser.audio;

/**
 * The Kaiser window and Kaiser's design formulas: the window whose one parameter trades main-lobe width
 * (transition band) against side-lobe height (stop-band attenuation) near-optimally.
 */
final class KaiserWindow {

    private KaiserWindow() {}

    /** Kaiser's empirical beta for a stop band {@code attenuationDb} down (valid above 50 dB). */
    static double beta(double attenuationDb) {
        return 0.1102 * (attenuationDb - 8.7);
    }

    /**
     * Kaiser's estimate of the taps a low-pass filter needs for {@code attenuationDb} of stop band with a
     * transition band {@code transition} wide, in cycles per sample.
     */
    static double taps(double attenuationDb, double transition) {
        return (attenuationDb - 7.95) / (14.36 * transition) + 1;
    }

    /** The window at {@code x} in [-1, 1] (0 at the centre); 0 outside. */
    static double at(double beta, double x) {
        if (Math.abs(x) >= 1) return 0;
        return besselI0(beta * Math.sqrt(1 - x * x)) / besselI0(beta);
    }

    /** The modified Bessel function of the first kind, order 0, by its power series (converges fast for x < 50). */
    static double besselI0(double x) {
        double quarterX2 = x * x / 4;
        double sum = 1;
        double term = 1;
        for (int k = 1; term > 1e-17 * sum; k++) {
            term *= quarterX2 / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
