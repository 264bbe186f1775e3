package ser.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion between any two integer rates: a Kaiser-windowed sinc polyphase filter
 * with at least 80 dB of stop band, flat to 90% of the lower Nyquist frequency, with unity gain at DC and no
 * delay (output sample {@code n} is the signal at input time {@code n * from / to}). The signal is taken as
 * zero outside its ends.
 *
 * <p>Instances are immutable, thread-safe and cached per rate pair, so the filter is designed once.
 */
public final class Resampler {

    private static final Map<Long, Resampler> CACHE = new ConcurrentHashMap<>();

    private final int from;
    private final int to;
    private final PolyphaseFilter filter;

    private Resampler(int from, int to) {
        int gcd = gcd(from, to);
        this.from = from;
        this.to = to;
        this.filter = from == to ? null : new PolyphaseFilter(to / gcd, from / gcd);
    }

    /** The resampler from {@code from} Hz to {@code to} Hz, designed on first use. */
    public static Resampler of(int from, int to) {
        if (from <= 0 || to <= 0) throw new IllegalArgumentException("sample rates must be positive: " + from + " -> " + to);
        return CACHE.computeIfAbsent((long) from << 32 | to, key -> new Resampler(from, to));
    }

    public static float[] resample(float[] signal, int from, int to) {
        return of(from, to).apply(signal);
    }

    /** {@code signal} at the target rate: {@code ceil(length * to / from)} samples, a copy when the rates agree. */
    public float[] apply(float[] signal) {
        return run(signal, DotProduct::vector);
    }

    /** The same with the scalar dot product: the reference the vector path is tested and benchmarked against. */
    public float[] applyScalar(float[] signal) {
        return run(signal, DotProduct::scalar);
    }

    private interface Dot {
        float apply(float[] a, int aFrom, float[] b, int bFrom, int n);
    }

    private float[] run(float[] signal, Dot dot) {
        if (filter == null) return signal.clone();
        int up = filter.up;
        int down = filter.down;
        int width = filter.rowLength();
        int outLength = Math.toIntExact(((long) signal.length * up + down - 1) / down);

        // Zeros around the signal let every row run over whole input without bounds checks.
        float[] padded = new float[signal.length + width];
        System.arraycopy(signal, 0, padded, filter.halfWidth, signal.length);

        float[] out = new float[outLength];
        float[] scratch = new float[width];
        for (int n = 0; n < outLength; n++) {
            long time = (long) n * down; // in units of 1/up input samples
            int i = (int) (time / up);
            int phase = (int) (time % up);
            float[] row = filter.row(phase, scratch);
            // Row taps cover input i - halfWidth + 1 ..., which sits at padded index i + 1.
            out[n] = dot.apply(row, filter.rowOffset(phase), padded, i + 1, width);
        }
        return out;
    }

    public int from() {
        return from;
    }

    public int to() {
        return to;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
