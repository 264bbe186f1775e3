package ser.io;

/**
 * Matplotlib's "magma" colormap (black through purple and orange to pale yellow): perceptually uniform, readable
 * in grey scale, and the usual choice for spectrograms. Nine anchors sampled from matplotlib at 0, 1/8, ..., 1,
 * linearly interpolated in RGB; between anchors the error against the full 256-entry table is a few levels,
 * invisible in a plot.
 */
final class Magma {

    private static final int[] ANCHORS = {
            0x000004, 0x1c1044, 0x4f127b, 0x812581, 0xb5367a, 0xe55064, 0xfb8761, 0xfec287, 0xfcfdbf,
    };

    private Magma() {}

    /** The colour of {@code t} in [0, 1] as 0xRRGGBB; values outside are clamped, NaN is the lowest colour. */
    static int rgb(double t) {
        if (!(t > 0)) return ANCHORS[0];
        if (t >= 1) return ANCHORS[ANCHORS.length - 1];
        double x = t * (ANCHORS.length - 1);
        int i = (int) x;
        double f = x - i;
        int a = ANCHORS[i];
        int b = ANCHORS[i + 1];
        return mix(a >> 16, b >> 16, f) << 16 | mix(a >> 8, b >> 8, f) << 8 | mix(a, b, f);
    }

    private static int mix(int a, int b, double f) {
        a &= 0xff;
        b &= 0xff;
        return (int) Math.round(a + (b - a) * f);
    }
}
