package ser.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import ser.SerException;

/**
 * Reads an audio file, WAV or AIFF/AIFF-C, choosing the reader by the file's first bytes rather than its name:
 * some corpora ship AIFF files named {@code .wav}, and a name says nothing a header does not say better.
 */
public final class AudioReader {

    /** The names that directory scans take for audio, lower case; what {@link #read} decodes is up to the bytes. */
    public static final List<String> EXTENSIONS = List.of(".wav", ".aif", ".aiff", ".aifc");

    private AudioReader() {}

    /** Whether {@code file}'s name ends in one of {@link #EXTENSIONS}, in any case. */
    public static boolean hasAudioExtension(Path file) {
        Path name = file.getFileName();
        if (name == null) return false;
        String lower = name.toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** The extensions for messages: ".wav, .aif, .aiff, .aifc". */
    public static String extensionList() {
        return String.join(", ", EXTENSIONS);
    }

    /**
     * {@code file} (WAV or AIFF/AIFF-C, chosen by its first bytes as {@link #read} chooses) opened for reading a
     * range of frames at a time ({@link AudioStream#readMono}), its header checked as {@link #read} checks it: a file
     * {@link #read} turns down fails here with the same message, except a bad sample, found when its range is read.
     */
    public static AudioStream openStream(Path file) {
        FileChannel channel;
        try {
            channel = AudioFileIo.open(file, "an audio file");
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
        try {
            return byHeader(file, channel, WavReader::stream, AiffReader::stream);
        } catch (IOException | RuntimeException e) {
            throw AudioStream.closeAfter(file, channel, e);
        }
    }

    public static WavAudio read(Path file) {
        try (FileChannel channel = AudioFileIo.open(file, "an audio file")) {
            return byHeader(file, channel, WavReader::read, AiffReader::read);
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
    }

    /** A reader's work on an open file. */
    private interface Container<T> {
        T apply(Path file, FileChannel channel) throws IOException;
    }

    /** {@code wav} or {@code aiff} by the file's first bytes; a file of neither kind is refused in one line. */
    private static <T> T byHeader(Path file, FileChannel channel, Container<T> wav, Container<T> aiff) throws IOException {
        ByteBuffer head = AudioFileIo.readAt(channel, 0, (int) Math.min(12, channel.size()), ByteOrder.BIG_ENDIAN);
        if (head.remaining() == 0) throw SerException.inFile(file, "empty file, not a WAV or AIFF file");
        String magic = AudioFileIo.fourCC(head, 0);
        return switch (magic) {
            // WavReader also turns down RF64, BW64 and RIFX, with a message that says why.
            case "RIFF", "RF64", "BW64", "RIFX" -> wav.apply(file, channel);
            case "FORM" -> aiff.apply(file, channel);
            default -> throw SerException.inFile(file, "not a WAV or AIFF file" + AudioFileIo.lookalike(head)
                    + " (starts with '" + magic + "')");
        };
    }
}
