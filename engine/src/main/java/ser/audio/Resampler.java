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

    /** Samples {@link #apply} makes of {@code length} input samples: {@code ceil(length * to / from)}. */
    public long outputLength(long length) {
        return filter == null ? length : (length * filter.up + filter.down - 1) / filter.down;
    }

    /** The first input sample output sample {@code n} reads (may be negative: zeros before the signal). */
    public long inputFirst(long n) {
        return filter == null ? n : n * filter.down / filter.up + 1 - filter.halfWidth;
    }

    /** One past the last input sample outputs before {@code end} read (may be past the signal: zeros). */
    public long inputEnd(long end) {
        if (end <= 0) return inputFirst(0);
        return filter == null ? end : (end - 1) * filter.down / filter.up + 1 - filter.halfWidth + filter.rowLength();
    }

    /**
     * Output samples [{@code outFrom}, {@code outFrom + count}) of {@code apply(signal)} for a signal of
     * {@code length} samples of which {@code x} holds [{@code xFrom}, {@code xFrom + x.length}), into
     * {@code out[0 .. count)}: bit for bit apply's, for a caller that resamples a long signal block by block.
     * {@code x} must hold the signal's part of [{@link #inputFirst}(outFrom), {@link #inputEnd}(outFrom + count)).
     */
    public void applyRange(float[] x, long xFrom, int xCount, long length, long outFrom, int count, float[] out) {
        if (filter == null) {
            System.arraycopy(x, (int) (outFrom - xFrom), out, 0, count);
            return;
        }
        int up = filter.up, down = filter.down, width = filter.rowLength();
        long lo = inputFirst(outFrom), hi = inputEnd(outFrom + count);
        float[] source = x;
        long base = xFrom;  // source[k] is signal sample base + k
        long from = Math.max(lo, 0), to = Math.min(hi, length);
        if (lo < 0 || hi > length || lo < xFrom || hi > xFrom + xCount) {
            // Near an end: the signal over [lo, hi), zero outside it, as run() pads it.
            float[] local = new float[(int) (hi - lo)];
            source = local;
            base = lo;
            if (from < to) {
                if (from < xFrom || to > xFrom + xCount) {
                    throw new IllegalArgumentException("input [" + xFrom + ", " + (xFrom + xCount) + ") lacks [" + from + ", " + to + ")");
                }
                System.arraycopy(x, (int) (from - xFrom), local, (int) (from - lo), (int) (to - from));
            }
        }
        float[] scratch = new float[width];
        for (int j = 0; j < count; j++) {
            long time = (outFrom + j) * down;
            long i = time / up;
            int phase = (int) (time % up);
            float[] row = filter.row(phase, scratch);
            out[j] = DotProduct.vector(row, filter.rowOffset(phase), source, (int) (i + 1 - filter.halfWidth - base), width);
        }
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
