package ser.audio;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    public static WavAudio read(Path file) {
        try (FileChannel channel = open(file)) {
            return read(file, channel);
        } catch (IOException e) {
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw SerException.inFile(file, "cannot read: " + reason, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) throw SerException.inFile(file, "is a directory, not a WAV file");
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw SerException.inFile(file, "no such file");
        } catch (AccessDeniedException e) {
            throw SerException.inFile(file, "permission denied");
        }
    }

    private static WavAudio read(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        checkRiffHeader(file, readAt(channel, 0, (int) Math.min(12, fileSize)));

        WavFormat format = null;
        long dataOffset = -1;
        long dataBytes = 0;
        long pos = 12;
        while (pos + 8 <= fileSize && (format == null || dataOffset < 0)) {
            ByteBuffer header = readAt(channel, pos, 8);
            String id = fourCC(header, 0);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = pos + 8;
            long available = fileSize - body;
            switch (id) {
                case "fmt " -> {
                    if (size > available) throw overrun(file, "truncated fmt chunk", size, available);
                    format = WavFormat.parse(file, readAt(channel, body, (int) Math.min(size, FMT_BYTES_READ)));
                }
                case "data" -> {
                    boolean streaming = size == STREAMING_SIZE || size == 0;
                    if (!streaming && size > available) throw overrun(file, "truncated data chunk", size, available);
                    dataOffset = body;
                    dataBytes = streaming ? available : size;
                    size = dataBytes; // a streaming chunk ends at the end of the file, and so does the walk
                }
                default -> {
                    if (size > available) throw overrun(file, "truncated chunk '" + id + "' at byte " + pos, size, available);
                }
            }
            pos = body + size + (size & 1);
        }
        if (format == null) throw SerException.inFile(file, "no fmt chunk");
        if (dataOffset < 0) throw SerException.inFile(file, "no data chunk");
        return decode(file, channel, format, dataOffset, dataBytes);
    }

    private static WavAudio decode(Path file, FileChannel channel, WavFormat format, long offset, long bytes)
            throws IOException {
        long frames = bytes / format.blockAlign();
        if (frames == 0) {
            throw SerException.inFile(file, "zero samples: data chunk holds " + bytes + " bytes, one frame is "
                    + format.blockAlign());
        }
        checkFitsInMemory(file, frames, format.channels());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, offset, frames * format.blockAlign(), arena);
            return new WavAudio(format, PcmDecoder.decode(format, data, (int) frames));
        }
    }

    /** Decoded samples are 4-byte floats, up to 4 times the file's bytes: refuse before allocating, not after. */
    private static void checkFitsInMemory(Path file, long frames, int channels) {
        long bytes = frames * channels * Float.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (frames > Integer.MAX_VALUE - 8 || bytes > heap / 2) {
            throw SerException.inFile(file, "too large to decode: " + frames + " frames of " + channels
                    + " channels need " + (bytes >> 20) + " MiB, more than half the heap (" + (heap >> 20)
                    + " MiB); raise -Xmx or split the file");
        }
    }

    private static void checkRiffHeader(Path file, ByteBuffer head) {
        int n = head.remaining();
        String magic = fourCC(head, 0);
        if (n == 0) throw SerException.inFile(file, "empty file, not a WAV file");
        if (magic.startsWith("RIFF") && n < 12) {
            throw SerException.inFile(file, "truncated header: " + n + " bytes, a WAV file starts with 12");
        }
        switch (magic) {
            case "RIFF" -> {
                String form = fourCC(head, 8);
                if (!form.equals("WAVE")) throw SerException.inFile(file, "not a RIFF/WAVE file: RIFF form type '" + form + "'");
            }
            case "RF64", "BW64" -> throw SerException.inFile(file, "unsupported " + magic + " container (WAV over 4 GiB)");
            case "RIFX" -> throw SerException.inFile(file, "unsupported big-endian RIFX container");
            default -> throw SerException.inFile(file, "not a RIFF/WAVE file" + lookalike(head) + " (starts with '" + magic + "')");
        }
    }

    /** Names the formats people most often hand over by mistake. */
    private static String lookalike(ByteBuffer head) {
        String magic = fourCC(head, 0);
        if (magic.equals("fLaC")) return ": looks like FLAC";
        if (magic.equals("OggS")) return ": looks like Ogg";
        if (magic.startsWith("ID3") || (head.remaining() >= 2 && (head.get(0) & 0xFF) == 0xFF
                && (head.get(1) & 0xE0) == 0xE0)) return ": looks like MP3";
        if (magic.equals("FORM")) return ": looks like AIFF";
        return "";
    }

    private static SerException overrun(Path file, String what, long claimed, long available) {
        return SerException.inFile(file, what + ": header says " + claimed + " bytes, file has " + available);
    }

    /** Up to four bytes at {@code at} as text, non-printable bytes escaped so that the message stays one line. */
    private static String fourCC(ByteBuffer buffer, int at) {
        StringBuilder id = new StringBuilder();
        for (int i = at; i < Math.min(at + 4, buffer.limit()); i++) {
            int b = buffer.get(i) & 0xFF;
            if (b >= 0x20 && b < 0x7F) id.append((char) b);
            else id.append(String.format("\\x%02X", b));
        }
        return id.toString();
    }

    private static ByteBuffer readAt(FileChannel channel, long pos, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, pos + buffer.position()) < 0) throw new EOFException("file shrank while reading");
        }
        return buffer.flip();
    }
}
