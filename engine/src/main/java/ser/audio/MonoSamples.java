package ser.audio;

import java.nio.file.Path;

/**
 * The mono samples of an audio file at a chosen rate, read a range at a time: what {@link AudioLoader#loadMono}
 * returns, without holding it. A WAV or AIFF/AIFF-C file is streamed ({@link AudioStream}): each range is decoded,
 * mixed down and, at another rate, resampled with {@link Resampler#applyRange}, which gives the whole-file
 * resampler's bits; so {@code read(from, count)} is exactly {@code loadMono(file, rate)[from .. from + count)}, and
 * memory is bounded by the range asked for. Samples already in memory can be served the same way ({@link #of}).
 *
 * <p>Not for concurrent use: a streamed source reuses its scratch between reads.
 */
public final class MonoSamples implements AutoCloseable {

    private final Path file;
    private final AudioStream stream;  // null when in memory
    private final float[] whole;       // null when streamed
    private final Resampler resampler;
    private final boolean resample;
    private final long inputFrames;
    private final long length;
    private final boolean owner;       // false for a view ({@link #head}), which leaves closing to its source
    private float[] raw = new float[0];

    private MonoSamples(Path file, AudioStream stream, float[] whole, int rate) {
        this.file = file;
        this.stream = stream;
        this.whole = whole;
        this.owner = true;
        if (stream != null) {
            this.resampler = Resampler.of(stream.sampleRate(), rate);
            this.resample = stream.sampleRate() != rate;
            this.inputFrames = stream.frames();
            this.length = resampler.outputLength(inputFrames);
        } else {
            this.resampler = null;
            this.resample = false;
            this.inputFrames = whole.length;
            this.length = whole.length;
        }
    }

    private MonoSamples(MonoSamples source, long length) {
        this.file = source.file;
        this.stream = source.stream;
        this.whole = source.whole;
        this.resampler = source.resampler;
        this.resample = source.resample;
        this.inputFrames = source.inputFrames;
        this.length = length;
        this.owner = false;
    }

    /**
     * {@code file} (WAV or AIFF/AIFF-C) at {@code rate} Hz, streamed. Bad files throw SerException naming the file,
     * with {@link AudioLoader#loadMono}'s message: the header is parsed once, here; a bad sample is found when its
     * range is read.
     */
    public static MonoSamples open(Path file, int rate) {
        if (rate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + rate);
        return new MonoSamples(file, AudioReader.openStream(file), null, rate);
    }

    /** Samples already in memory, served by range (for callers that take either). */
    public static MonoSamples of(Path file, float[] samples) {
        return new MonoSamples(file, null, samples, 1);
    }

    public Path file() {
        return file;
    }

    /** Samples at the target rate: {@code loadMono(file, rate).length}, which may exceed an array's. */
    public long length() {
        return length;
    }

    /** Whether reads decode the file range by range (false: the samples are in memory). */
    public boolean streamed() {
        return stream != null;
    }

    /**
     * The first {@code n} samples (at most {@link #length()}) as a source of their own, reading through this one:
     * the same samples, bit for bit, as this one's. Closing it does nothing; close this one when done with both.
     */
    public MonoSamples head(long n) {
        if (n < 0) throw new IllegalArgumentException("negative length " + n);
        return n >= length ? new MonoSamples(this, length) : new MonoSamples(this, n);
    }

    /**
     * Samples [{@code from}, {@code from + count}) into {@code into[0 .. count)}, which is returned; the range must
     * lie within [0, {@link #length()}).
     */
    public float[] read(long from, int count, float[] into) {
        if (from < 0 || count < 0 || from + count > length || into.length < count) {
            throw new IndexOutOfBoundsException("samples [" + from + ", " + (from + count) + ") of " + length
                    + " into " + into.length);
        }
        if (count == 0) return into;
        if (stream == null) {
            System.arraycopy(whole, (int) from, into, 0, count);
        } else if (!resample) {
            stream.readMono(from, count, into);
        } else {  // the input that output samples [from, from + count) read, resampled as the whole-file path does
            long a = Math.max(0, resampler.inputFirst(from)), b = Math.min(inputFrames, resampler.inputEnd(from + count));
            int m = (int) Math.max(0, b - a);
            if (raw.length < m) raw = new float[m];
            stream.readMono(a, m, raw);
            resampler.applyRange(raw, a, m, inputFrames, from, count, into);
        }
        return into;
    }

    /** The first {@code min(n, length())} samples, in an array of that length. */
    public float[] readHead(long n) {
        long count = Math.min(n, length);
        if (count > Integer.MAX_VALUE - 8) throw ser.SerException.inFile(file, "too long to hold: " + count + " samples");
        return read(0, (int) count, new float[(int) count]);
    }

    @Override
    public void close() {
        if (stream != null && owner) stream.close();
    }
}
