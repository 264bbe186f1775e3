package ser.audio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import ser.SerException;

/**
 * Reads a RIFF/WAVE file: integer PCM (8-bit unsigned, 16, 24, 32-bit), IEEE float (32, 64-bit), plain or as
 * WAVE_FORMAT_EXTENSIBLE, any channel count and sample rate.
 *
 * <p>Every size a header claims is checked against the file's length before anything is read or allocated, so a
 * hostile or damaged file fails with a one-line {@link SerException} rather than an OutOfMemoryError. The rules:
 * <ul>
 *   <li>The RIFF size field is ignored: streaming writers leave it wrong, and chunk sizes are checked one by one.
 *   <li>Chunks other than {@code fmt } and {@code data} (LIST, fact, cue, ...) are skipped, with the pad byte
 *       RIFF puts after an odd-sized chunk.
 *   <li>A {@code data} size of 0xFFFFFFFF or 0 is the mark of a writer that could not seek back to patch the
 *       header: the data then runs to the end of the file. Any other size larger than what the file holds is a
 *       truncated file and an error, since decoding it would silently drop the end of the recording.
 *   <li>A partial frame at the end of the data is dropped.
 *   <li>Once both chunks are found, junk after them (even a chunk header that overruns the file) is ignored.
 * </ul>
 */
public final class WavReader {

    private static final long STREAMING_SIZE = 0xFFFF_FFFFL;
    private static final int FMT_BYTES_READ = 40; // everything WAVE_FORMAT_EXTENSIBLE defines; the rest is unused

    private WavReader() {}

    /** A WAV file, whatever its name; {@link AudioReader#read} takes WAV or AIFF, chosen by the first bytes. */
    public static WavAudio read(Path file) {
        try (FileChannel channel = AudioFileIo.open(file, "a WAV file")) {
            return read(file, channel);
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
    }

    static WavAudio read(Path file, FileChannel channel) throws IOException {
        Location at = locate(file, channel);
        return decode(file, channel, at.format, at.dataOffset, at.dataBytes);
    }

    private record Location(WavFormat format, long dataOffset, long dataBytes) {}

    /**
     * A stream over the open {@code channel} (which it then owns), the header checked as {@link #read} checks it:
     * a file this reader turns down (RF64, say, or a damaged header) fails with the same message.
     */
    static AudioStream stream(Path file, FileChannel channel) throws IOException {
        Location at = locate(file, channel);
        long frames = at.dataBytes / at.format.blockAlign();
        if (frames == 0) {
            throw SerException.inFile(file, "zero samples: data chunk holds " + at.dataBytes + " bytes, one frame is "
                    + at.format.blockAlign());
        }
        return new AudioStream(file, channel, at.format, ByteOrder.LITTLE_ENDIAN, false, at.dataOffset, frames);
    }

    private static Location locate(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        checkRiffHeader(file, AudioFileIo.readAt(channel, 0, (int) Math.min(12, fileSize), ByteOrder.LITTLE_ENDIAN));

        WavFormat format = null;
        long dataOffset = -1;
        long dataBytes = 0;
        long pos = 12;
        while (pos + 8 <= fileSize && (format == null || dataOffset < 0)) {
            ByteBuffer header = AudioFileIo.readAt(channel, pos, 8, ByteOrder.LITTLE_ENDIAN);
            String id = AudioFileIo.fourCC(header, 0);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = pos + 8;
            long available = fileSize - body;
            switch (id) {
                case "fmt " -> {
                    if (size > available) throw AudioFileIo.overrun(file, "truncated fmt chunk", size, available);
                    format = WavFormat.parse(file,
                            AudioFileIo.readAt(channel, body, (int) Math.min(size, FMT_BYTES_READ), ByteOrder.LITTLE_ENDIAN));
                }
                case "data" -> {
                    boolean streaming = size == STREAMING_SIZE || size == 0;
                    if (!streaming && size > available) throw AudioFileIo.overrun(file, "truncated data chunk", size, available);
                    dataOffset = body;
                    dataBytes = streaming ? available : size;
                    size = dataBytes; // a streaming chunk ends at the end of the file, and so does the walk
                }
                default -> {
                    if (!printable(header, 0)) {
                        throw SerException.inFile(file, "damaged chunk header at byte " + pos + ": id '" + id
                                + "' is not text (a damaged file, or a writer that left out the pad byte after an odd-sized chunk)");
                    }
                    if (size > available) throw AudioFileIo.overrun(file, "truncated chunk '" + id + "' at byte " + pos, size, available);
                }
            }
            pos = body + size;
            if ((size & 1) == 1 && !padLeftOut(channel, pos, fileSize)) pos++;
        }
        if (format == null) throw SerException.inFile(file, "no fmt chunk");
        if (dataOffset < 0) throw SerException.inFile(file, "no data chunk");
        return new Location(format, dataOffset, dataBytes);
    }

    private static WavAudio decode(Path file, FileChannel channel, WavFormat format, long offset, long bytes)
            throws IOException {
        long frames = bytes / format.blockAlign();
        if (frames == 0) {
            throw SerException.inFile(file, "zero samples: data chunk holds " + bytes + " bytes, one frame is "
                    + format.blockAlign());
        }
        AudioFileIo.checkFitsInMemory(file, frames, format.channels());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, offset, frames * format.blockAlign(), arena);
            float[][] samples = PcmDecoder.decode(format, data, (int) frames);
            if (format.encoding() == SampleEncoding.IEEE_FLOAT) AudioFileIo.requireFinite(file, samples);
            return new WavAudio(format, samples);
        }
    }

    /**
     * RIFF pads an odd-sized chunk to an even length, but some writers leave the pad byte out. Then the next chunk
     * id starts right at {@code at} instead of one byte later: taken when the four bytes at {@code at} read as an
     * id and those one byte on do not.
     */
    private static boolean padLeftOut(FileChannel channel, long at, long fileSize) throws IOException {
        if (at + 5 > fileSize) return false;
        ByteBuffer bytes = AudioFileIo.readAt(channel, at, 5, ByteOrder.LITTLE_ENDIAN);
        String id = AudioFileIo.fourCC(bytes, 0);
        return printable(bytes, 0) && (!printable(bytes, 1) || COMMON_IDS.contains(id));
    }

    /** Ids that settle the question even when the byte after them (a size) happens to be printable. */
    private static final java.util.Set<String> COMMON_IDS = java.util.Set.of("data", "fmt ", "LIST", "fact", "cue ", "JUNK");

    /** Whether the four bytes at {@code at} are printable ASCII, as every chunk id is. */
    private static boolean printable(ByteBuffer bytes, int at) {
        for (int i = at; i < at + 4; i++) {
            int b = bytes.get(i) & 0xFF;
            if (b < 0x20 || b > 0x7E) return false;
        }
        return true;
    }

    private static void checkRiffHeader(Path file, ByteBuffer head) {
        int n = head.remaining();
        String magic = AudioFileIo.fourCC(head, 0);
        if (n == 0) throw SerException.inFile(file, "empty file, not a WAV file");
        if (magic.startsWith("RIFF") && n < 12) {
            throw SerException.inFile(file, "truncated header: " + n + " bytes, a WAV file starts with 12");
        }
        switch (magic) {
            case "RIFF" -> {
                String form = AudioFileIo.fourCC(head, 8);
                if (!form.equals("WAVE")) throw SerException.inFile(file, "not a RIFF/WAVE file: RIFF form type '" + form + "'");
            }
            case "RF64", "BW64" -> throw SerException.inFile(file, "unsupported " + magic + " container (WAV over 4 GiB)");
            case "RIFX" -> throw SerException.inFile(file, "unsupported big-endian RIFX container");
            default -> throw SerException.inFile(file, "not a RIFF/WAVE file" + AudioFileIo.lookalike(head) + " (starts with '" + magic + "')");
        }
    }
}
