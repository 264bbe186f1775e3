package ser.audio;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import ser.RegularFiles;
import ser.SerException;

/** What the chunked audio readers (WAV, AIFF) share: opening, reading at an offset, naming what a file holds. */
final class AudioFileIo {

    private AudioFileIo() {}

    /** Opens {@code file} for reading, with one-line errors for the usual reasons it cannot be. */
    static FileChannel open(Path file, String expected) throws IOException {
        if (Files.isDirectory(file)) throw SerException.inFile(file, "is a directory, not " + expected);
        RegularFiles.checkBeforeOpening(file); // a FIFO would block the open forever; a link loop is not "no such file"
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw SerException.inFile(file, "no such file");
        } catch (AccessDeniedException e) {
            throw SerException.inFile(file, "permission denied");
        }
    }

    /** The one-line error for an IOException met while reading {@code file}. */
    static SerException cannotRead(Path file, IOException e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return SerException.inFile(file, "cannot read: " + reason, e);
    }

    /** Exactly {@code length} bytes at {@code pos}; the caller has checked that the file holds them. */
    static ByteBuffer readAt(FileChannel channel, long pos, int length, ByteOrder order) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(order);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, pos + buffer.position()) < 0) throw new EOFException("file shrank while reading");
        }
        return buffer.flip();
    }

    /** Up to four bytes at {@code at} as text, non-printable bytes escaped so that the message stays one line. */
    static String fourCC(ByteBuffer buffer, int at) {
        StringBuilder id = new StringBuilder();
        for (int i = at; i < Math.min(at + 4, buffer.limit()); i++) {
            int b = buffer.get(i) & 0xFF;
            if (b >= 0x20 && b < 0x7F) id.append((char) b);
            else id.append(String.format("\\x%02X", b));
        }
        return id.toString();
    }

    /** Names the formats people most often hand over by mistake, from a file's first bytes. */
    static String lookalike(ByteBuffer head) {
        String magic = fourCC(head, 0);
        if (magic.equals("fLaC")) return ": looks like FLAC";
        if (magic.equals("OggS")) return ": looks like Ogg";
        if (magic.startsWith("ID3") || (head.remaining() >= 2 && (head.get(0) & 0xFF) == 0xFF
                && (head.get(1) & 0xE0) == 0xE0)) return ": looks like MP3";
        if (magic.equals("FORM")) return ": looks like AIFF";
        return "";
    }

    static SerException overrun(Path file, String what, long claimed, long available) {
        return SerException.inFile(file, what + ": header says " + claimed + " bytes, file has " + available);
    }

    /**
     * Decoding needs about three times the decoded size at its peak: the channels, the mono mix (a copy even of
     * one channel), and the resampler's padded input; refuse before allocating, not after.
     */
    static final int DECODE_PEAK_FACTOR = 3;

    /** Refuses {@code frames} frames of {@code channels} channels when decoding them would not fit the heap. */
    static void checkFitsInMemory(Path file, long frames, int channels) {
        long bytes = frames * channels * Float.BYTES;
        long heap = Runtime.getRuntime().maxMemory();
        if (frames > Integer.MAX_VALUE - 8 || bytes > heap / DECODE_PEAK_FACTOR) {
            throw SerException.inFile(file, "too large to decode: " + frames + " frames of " + channels
                    + " channels need " + (bytes >> 20) + " MiB, and decoding takes about " + DECODE_PEAK_FACTOR
                    + " times that, more than the heap (" + (heap >> 20) + " MiB); raise -Xmx or split the file");
        }
    }

    /**
     * Float samples must be finite: a NaN or infinity would pass through resampling and the log-Mel into a
     * finite-looking feature (the dB floor clips it) and a confident prediction about nothing.
     */
    static void requireFinite(Path file, float[][] channels) {
        requireFinite(file, channels, channels.length == 0 ? 0 : channels[0].length, 0);
    }

    /**
     * {@link #requireFinite(Path, float[][])} for the first {@code count} samples of each channel, which are the
     * file's samples from {@code firstFrame} on (a block of a stream): the message counts from the file's start.
     */
    static void requireFinite(Path file, float[][] channels, int count, long firstFrame) {
        long first = Long.MAX_VALUE;
        int channelOfFirst = -1;
        float value = 0;
        for (int c = 0; c < channels.length; c++) {
            float[] samples = channels[c];
            for (int i = 0; i < count && i < first; i++) {
                if (!Float.isFinite(samples[i])) {
                    first = i;
                    channelOfFirst = c;
                    value = samples[i];
                    break;
                }
            }
        }
        if (channelOfFirst >= 0) {
            throw SerException.inFile(file, "sample " + (firstFrame + first) + (channels.length > 1 ? " of channel " + channelOfFirst : "")
                    + " is " + (Float.isNaN(value) ? "NaN" : value > 0 ? "+infinity" : "-infinity")
                    + ": float audio must hold finite samples (damaged file?)");
        }
    }
}
