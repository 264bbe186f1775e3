package ser.prosody;

/**
 * A pitch contour: per frame the chosen F0 in Hz (0 when unvoiced) and the correlation strength of that choice.
 */
public record PitchTrack(FrameGrid grid, double[] f0, double[] strength) {

    public int frames() {
        return f0.length;
    }

    public boolean voiced(int frame) {
        return f0[frame] > 0;
    }

    /**
     * F0 at a time, interpolated linearly as Praat interpolates a pitch contour: the nearer frame must be voiced (else
     * NaN); an unvoiced or missing farther frame leaves the nearer frame's value.
     */
    public double valueAt(double time) {
        double position = (time - grid.first()) / grid.step();
        int left = (int) Math.floor(position);
        double phase = position - left;
        int near = left, far = left + 1;
        if (phase >= 0.5) {
            near = left + 1;
            far = left;
            phase = 1 - phase;
        }
        if (near < 0 || near >= frames() || !voiced(near)) return Double.NaN;
        if (far < 0 || far >= frames() || !voiced(far)) return f0[near];
        return f0[near] + phase * (f0[far] - f0[near]);
    }
}
