package ser.prosody;

/**
 * Frame centres laid out as Praat lays them out for short-term analysis: as many frames of a given window length as
 * fit in the signal, spaced by the time step and centred as a group on the signal's middle. Sample k sits at time
 * (k + 0.5) / rate.
 *
 * @param count frames (0 when the window does not fit)
 * @param first time of the first frame's centre, seconds
 * @param step  seconds between centres
 */
public record FrameGrid(int count, double first, double step) {

    public static FrameGrid fit(int samples, int rate, double windowSeconds, double step) {
        double duration = (double) samples / rate;
        int count = duration < windowSeconds ? 0 : (int) Math.floor((duration - windowSeconds) / step) + 1;
        double first = 0.5 * duration - 0.5 * step * (count - 1);
        return new FrameGrid(count, first, step);
    }

    public double time(int frame) {
        return first + frame * step;
    }

    /** The sample at or just before {@code time}: Praat's low index, counted from 0. */
    public static int sampleBefore(double time, int rate) {
        return (int) Math.floor(time * rate - 0.5);
    }
}
