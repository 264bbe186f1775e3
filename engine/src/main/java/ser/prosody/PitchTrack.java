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

    /** F0 at a time, linearly interpolated between voiced frames; NaN where either neighbour is unvoiced. */
    public double valueAt(double time) {
        double position = (time - grid.first()) / grid.step();
        int left = (int) Math.floor(position);
        if (left < -1 || left >= frames()) return Double.NaN;
        if (left == -1 || left == frames() - 1) {
            int nearest = Math.max(0, Math.min(frames() - 1, (int) Math.round(position)));
            if (Math.abs(position - nearest) > 0.5 || !voiced(nearest)) return Double.NaN;
            return f0[nearest];
        }
        double a = f0[left], b = f0[left + 1], fraction = position - left;
        if (a > 0 && b > 0) return a + fraction * (b - a);
        // At the edge of a voiced stretch, the voiced frame holds for half a step.
        if (a > 0 && fraction < 0.5) return a;
        if (b > 0 && fraction >= 0.5) return b;
        return Double.NaN;
    }
}
