package ser.audio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An audio file (WAV, or AIFF/AIFF-C) read a block at a time, for inputs too long to hold: the header was checked
 * as the whole-file reader checks it ({@link AudioReader#openStream}), and
 * {@link #readMono(long, int, float[])} decodes and down-mixes any range of frames, each block mapped and unmapped
 * on its own, with the same arithmetic as {@code AudioReader.read(file).mono()}.
 */
public final class AudioStream implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final WavFormat format;
    private final ByteOrder order;
    private final boolean signedBytes;
    private final long dataOffset;
    private final long frames;
    private float[][] scratch = new float[0][];

    /**
     * @param order       the byte order of the samples (WAV: little-endian; AIFF: big-endian, AIFF-C {@code sowt}: little)
     * @param signedBytes whether 8-bit samples are two's complement (AIFF) rather than offset by 128 (WAV)
     * @param dataOffset  where the first frame starts in the file
     * @param frames      how many whole frames the file holds from there, checked against its length
     */
    AudioStream(Path file, FileChannel channel, WavFormat format, ByteOrder order, boolean signedBytes,
                long dataOffset, long frames) {
        this.file = file;
        this.channel = channel;
        this.format = format;
        this.order = order;
        this.signedBytes = signedBytes;
        this.dataOffset = dataOffset;
        this.frames = frames;
    }

    public WavFormat format() {
        return format;
    }

    public int sampleRate() {
        return format.sampleRate();
    }

    /** Frames (samples per channel) in the file. */
    public long frames() {
        return frames;
    }

    /**
     * Frames [from, from + count) down-mixed to mono, as {@link WavAudio#mono()} does (the same operations in
     * the same order), into {@code into[0 .. count)}, which is returned. Reuses its scratch between calls, so
     * a loop over blocks allocates nothing; not for concurrent use. A non-finite float sample in the range throws
     * SerException naming it by its place in the file.
     */
    public float[] readMono(long from, int count, float[] into) {
        if (from < 0 || count < 0 || from + count > frames || into.length < count) {
            throw new IndexOutOfBoundsException("frames [" + from + ", " + (from + count) + ") of " + frames
                    + " into " + into.length);
        }
        if (count == 0) return into;
        int channels = format.channels();
        if (channels > 1 && (scratch.length != channels || scratch[0].length < count)) {
            scratch = new float[channels][count];
        }
        float[][] decoded = channels == 1 ? new float[][] {into} : scratch;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY,
                    dataOffset + from * format.blockAlign(), (long) count * format.blockAlign(), arena);
            PcmDecoder.decodeInto(format, order, signedBytes, data, count, decoded);
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
        if (channels > 1) {
            Arrays.fill(into, 0, count, 0f);
            for (float[] channel : decoded) {
                for (int i = 0; i < count; i++) into[i] += channel[i];
            }
            float scale = 1f / channels;
            for (int i = 0; i < count; i++) into[i] *= scale;
        }
        if (format.encoding() == SampleEncoding.IEEE_FLOAT) AudioFileIo.requireFinite(file, decoded, count, from);
        return into;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
    }

    /** Closes {@code channel} after {@code e} was thrown while opening a stream on it; returns e to rethrow. */
    static RuntimeException closeAfter(Path file, FileChannel channel, Exception e) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
        }
        if (e instanceof IOException io) return AudioFileIo.cannotRead(file, io);
        return (RuntimeException) e;
    }
}
