package ser.audio;

import java.nio.file.Path;

/**
 * The mono samples of an audio file at a chosen rate, read a range at a time: what {@link AudioLoader#loadMono}
 * returns, without holding it. A WAV file is streamed ({@link WavReader.Stream}): each range is decoded, mixed
 * down and, at another rate, resampled with {@link Resampler#applyRange}, which gives the whole-file resampler's
 * bits; so {@code read(from, count)} is exactly {@code loadMono(file, rate)[from .. from + count)}, and memory is
 * bounded by the range asked for. Any other file (AIFF) is read whole, once, and served from memory.
 *
 * <p>Not for concurrent use: a streamed source reuses its scratch between reads.
 */
public final class MonoSamples implements AutoCloseable {

    private final Path file;
    private final WavReader.Stream stream;  // null when read whole
    private final float[] whole;            // null when streamed
    private final Resampler resampler;
    private final boolean resample;
    private final long inputFrames;
    private final long length;
    private float[] raw = new float[0];

    private MonoSamples(Path file, WavReader.Stream stream, float[] whole, int rate) {
        this.file = file;
        this.stream = stream;
        this.whole = whole;
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

    /**
     * {@code file} at {@code rate} Hz: streamed when it is a WAV file, read whole otherwise. Bad files throw
     * SerException naming the file, as {@link AudioLoader#loadMono} does (a WAV file's header is parsed once,
     * here; a bad sample is found when its range is read).
     */
    public static MonoSamples open(Path file, int rate) {
        MonoSamples streamed = openWav(file, rate);
        return streamed != null ? streamed : new MonoSamples(file, null, AudioLoader.loadMono(file, rate), rate);
    }

    /** {@code file} at {@code rate} Hz, streamed; null when it is not a RIFF-family file (AIFF, say). */
    public static MonoSamples openWav(Path file, int rate) {
        if (rate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + rate);
        WavReader.Stream stream = WavReader.openStreamIfWav(file);
        return stream == null ? null : new MonoSamples(file, stream, null, rate);
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

    /** Whether reads decode the file range by range (false: it was read whole). */
    public boolean streamed() {
        return stream != null;
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

    @Override
    public void close() {
        if (stream != null) stream.close();
    }
}
