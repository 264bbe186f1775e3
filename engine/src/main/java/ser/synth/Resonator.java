package ser.synth;

/**
 * One formant: Klatt's two-pole resonator {@code y[n] = a x[n] + b y[n-1] + c y[n-2]}, normalised to unit gain at
 * 0 Hz so that a cascade of them gives the natural relative formant amplitudes without any per-formant gain.
 */
final class Resonator {

    private final double samplePeriod;
    private double a = 1, b, c;
    private double y1, y2;

    Resonator(int sampleRate) {
        this.samplePeriod = 1.0 / sampleRate;
    }

    /** StrictMath keeps the coefficients, and so the output files, identical on every JVM and CPU. */
    void tune(double frequencyHz, double bandwidthHz) {
        double r = StrictMath.exp(-Math.PI * bandwidthHz * samplePeriod);
        c = -r * r;
        b = 2 * r * StrictMath.cos(2 * Math.PI * frequencyHz * samplePeriod);
        a = 1 - b - c;
    }

    double filter(double x) {
        double y = a * x + b * y1 + c * y2;
        y2 = y1;
        y1 = y;
        return y;
    }
}
