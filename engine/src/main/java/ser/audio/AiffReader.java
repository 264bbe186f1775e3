package ser.audio;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import ser.SerException;

/**
 * Reads an AIFF or AIFF-C file: integer PCM of 1 to 32 bits (stored in 1 to 4 bytes, left-justified, 8-bit
 * signed), big-endian, or little-endian under AIFF-C's {@code sowt}; IEEE float under {@code fl32}/{@code fl64}.
 *
 * <p>The robustness rules are {@link WavReader}'s: every size a header claims is checked against the file's length
 * before anything is read or allocated, and a bad file fails with a one-line {@link SerException}.
 * <ul>
 *   <li>The FORM size field is ignored, as WAV's RIFF size is; chunks are checked one by one.
 *   <li>Chunks other than {@code COMM} and {@code SSND} (FVER, NAME, MARK, ...) are skipped, with the pad byte that
 *       follows an odd-sized chunk. COMM may come after SSND.
 *   <li>COMM's frame count decides how much is decoded; an SSND chunk that holds fewer frames than that, or claims
 *       more bytes than the file has, is a truncated file and an error. Bytes past the last frame (padding to a
 *       block size) are ignored.
 *   <li>Once both chunks are found, junk after them is ignored.
 * </ul>
 */
public final class AiffReader {

    private static final int COMM_BYTES_READ = 22; // AIFF's 18 bytes and AIFF-C's compression type; its name is unused

    /** AIFF-C compression types met in the wild that this reader does not decode, named for the user. */
    private static final Map<String, String> CODEC_NAMES = Map.of(
            "ulaw", "mu-law", "ULAW", "mu-law", "alaw", "A-law", "ALAW", "A-law",
            "ima4", "IMA ADPCM", "MAC3", "MACE 3:1", "MAC6", "MACE 6:1", "GSM ", "GSM 6.10",
            "sdx2", "Sound Designer II", "raw ", "unsigned 8-bit");

    private AiffReader() {}

    /** An AIFF or AIFF-C file, whatever its name; {@link AudioReader#read} takes WAV or AIFF by the first bytes. */
    public static WavAudio read(Path file) {
        try (FileChannel channel = AudioFileIo.open(file, "an AIFF file")) {
            return read(file, channel);
        } catch (IOException e) {
            throw AudioFileIo.cannotRead(file, e);
        }
    }

    /** What COMM says, the sample layout settled. */
    private record Comm(WavFormat format, long frames, ByteOrder order) {}

    static WavAudio read(Path file, FileChannel channel) throws IOException {
        Sound sound = locate(file, channel);
        return decode(file, channel, sound);
    }

    /**
     * A stream over the open {@code channel} (which it then owns), the header checked as {@link #read} checks it,
     * with the same messages: {@link AudioStream#readMono} then decodes any range of frames as {@link #read} does.
     */
    static AudioStream stream(Path file, FileChannel channel) throws IOException {
        Sound sound = locate(file, channel);
        Comm comm = sound.comm();
        return new AudioStream(file, channel, comm.format(), comm.order(), true, sound.offset(), comm.frames());
    }

    /** Where the frames COMM announces start, checked to be in the file. */
    private record Sound(Comm comm, long offset) {}

    private static Sound locate(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        boolean aifc = checkFormHeader(file, AudioFileIo.readAt(channel, 0, (int) Math.min(12, fileSize), ByteOrder.BIG_ENDIAN));

        Comm comm = null;
        long ssndBody = -1;
        long ssndSize = 0;
        long pos = 12;
        while (pos + 8 <= fileSize && (comm == null || ssndBody < 0)) {
            ByteBuffer header = AudioFileIo.readAt(channel, pos, 8, ByteOrder.BIG_ENDIAN);
            String id = AudioFileIo.fourCC(header, 0);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = pos + 8;
            long available = fileSize - body;
            switch (id) {
                case "COMM" -> {
                    if (size > available) throw AudioFileIo.overrun(file, "truncated COMM chunk", size, available);
                    comm = parseComm(file, aifc, AudioFileIo.readAt(channel, body, (int) Math.min(size, COMM_BYTES_READ),
                            ByteOrder.BIG_ENDIAN));
                }
                case "SSND" -> {
                    if (size > available) throw AudioFileIo.overrun(file, "truncated SSND chunk", size, available);
                    if (size < 8) throw SerException.inFile(file, "truncated SSND chunk: " + size + " bytes, needs at least 8");
                    ssndBody = body;
                    ssndSize = size;
                }
                default -> {
                    if (size > available) throw AudioFileIo.overrun(file, "truncated chunk '" + id + "' at byte " + pos, size, available);
                }
            }
            pos = body + size + (size & 1);
        }
        if (comm == null) throw SerException.inFile(file, "no COMM chunk");
        if (ssndBody < 0) throw SerException.inFile(file, "no SSND chunk");

        // SSND opens with an offset to the first sample (and a block size, only a hint for aligned writing).
        long offset = Integer.toUnsignedLong(AudioFileIo.readAt(channel, ssndBody, 4, ByteOrder.BIG_ENDIAN).getInt(0));
        long soundBytes = ssndSize - 8;
        if (offset > soundBytes) {
            throw SerException.inFile(file, "bad SSND chunk: sample data offset " + offset + " past its " + soundBytes
                    + " bytes");
        }
        long bytes = soundBytes - offset;
        if (comm.frames() == 0) throw SerException.inFile(file, "zero samples: COMM says 0 frames");
        long needed = comm.frames() * comm.format().blockAlign();
        if (needed > bytes) {
            throw SerException.inFile(file, "truncated sound data: COMM says " + comm.frames() + " frames ("
                    + needed + " bytes), SSND holds " + bytes);
        }
        return new Sound(comm, ssndBody + 8 + offset);
    }

    private static WavAudio decode(Path file, FileChannel channel, Sound sound) throws IOException {
        Comm comm = sound.comm();
        WavFormat format = comm.format();
        long needed = comm.frames() * format.blockAlign();
        AudioFileIo.checkFitsInMemory(file, comm.frames(), format.channels());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = channel.map(FileChannel.MapMode.READ_ONLY, sound.offset(), needed, arena);
            float[][] samples = PcmDecoder.decode(format, comm.order(), true, data, (int) comm.frames());
            if (format.encoding() == SampleEncoding.IEEE_FLOAT) AudioFileIo.requireFinite(file, samples);
            return new WavAudio(format, samples);
        }
    }

    /** Checks {@code FORM <size> AIFF|AIFC}; true for AIFF-C. */
    private static boolean checkFormHeader(Path file, ByteBuffer head) {
        int n = head.remaining();
        if (n == 0) throw SerException.inFile(file, "empty file, not an AIFF file");
        String magic = AudioFileIo.fourCC(head, 0);
        if (!magic.equals("FORM")) {
            throw SerException.inFile(file, "not an AIFF file" + AudioFileIo.lookalike(head) + " (starts with '" + magic + "')");
        }
        if (n < 12) throw SerException.inFile(file, "truncated header: " + n + " bytes, an AIFF file starts with 12");
        String form = AudioFileIo.fourCC(head, 8);
        return switch (form) {
            case "AIFF" -> false;
            case "AIFC" -> true;
            default -> throw SerException.inFile(file, "not an AIFF file: FORM type '" + form + "'");
        };
    }

    /** The COMM chunk's body: channels, frames, bits per sample, rate, and in AIFF-C the compression type. */
    private static Comm parseComm(Path file, boolean aifc, ByteBuffer comm) {
        int needed = aifc ? 22 : 18;
        if (comm.remaining() < needed) {
            throw SerException.inFile(file, "truncated COMM chunk: " + comm.remaining() + " bytes, "
                    + (aifc ? "AIFF-C" : "AIFF") + " needs " + needed);
        }
        int channels = Short.toUnsignedInt(comm.getShort(0));
        long frames = Integer.toUnsignedLong(comm.getInt(2));
        int bits = Short.toUnsignedInt(comm.getShort(6));
        double rate = extended(comm, 8);
        String compression = aifc ? AudioFileIo.fourCC(comm, 18) : "NONE";

        if (channels == 0 || channels > WavFormat.MAX_CHANNELS) {
            throw SerException.inFile(file, "absurd channel count " + channels + " (expected 1.." + WavFormat.MAX_CHANNELS + ")");
        }
        if (!(rate >= WavFormat.MIN_SAMPLE_RATE - 0.5 && rate < WavFormat.MAX_SAMPLE_RATE + 0.5)) {
            throw SerException.inFile(file, "absurd sample rate " + rate + " Hz (expected " + WavFormat.MIN_SAMPLE_RATE + ".."
                    + WavFormat.MAX_SAMPLE_RATE + ")");
        }
        int sampleRate = (int) Math.round(rate); // old Macintosh rates such as 22254.545 Hz are not whole numbers
        return switch (compression) {
            case "NONE", "twos" -> integerPcm(file, channels, sampleRate, bits, frames, ByteOrder.BIG_ENDIAN);
            case "sowt" -> integerPcm(file, channels, sampleRate, bits, frames, ByteOrder.LITTLE_ENDIAN);
            // The sample size field of float files is not always filled in; the compression type says it all.
            case "fl32", "FL32" -> floatPcm(channels, sampleRate, 32, frames);
            case "fl64", "FL64" -> floatPcm(channels, sampleRate, 64, frames);
            default -> throw SerException.inFile(file, "unsupported AIFF-C compression '" + compression + "'"
                    + (CODEC_NAMES.containsKey(compression) ? " (" + CODEC_NAMES.get(compression) + ")" : "")
                    + "; convert to PCM or float first");
        };
    }

    /** AIFF stores {@code bits} in the fewest whole bytes, left-justified, so decoding reads the whole bytes. */
    private static Comm integerPcm(Path file, int channels, int rate, int bits, long frames, ByteOrder order) {
        if (bits < 1 || bits > 32) {
            throw SerException.inFile(file, "unsupported PCM sample size: " + bits + " bits (supported: 1 to 32)");
        }
        int width = (bits + 7) / 8;
        return new Comm(new WavFormat(SampleEncoding.PCM_INT, channels, rate, channels * width, width * 8, bits),
                frames, order);
    }

    private static Comm floatPcm(int channels, int rate, int bits, long frames) {
        return new Comm(new WavFormat(SampleEncoding.IEEE_FLOAT, channels, rate, channels * bits / 8, bits, bits),
                frames, ByteOrder.BIG_ENDIAN);
    }

    /**
     * The 80-bit IEEE 754 extended-precision number at {@code at}: a sign bit, a 15-bit exponent biased by 16383
     * and a 64-bit mantissa whose top bit is the integer part. Infinity and NaN come back as such.
     */
    static double extended(ByteBuffer buffer, int at) {
        int signAndExponent = Short.toUnsignedInt(buffer.getShort(at));
        long mantissa = buffer.getLong(at + 2);
        double sign = (signAndExponent & 0x8000) != 0 ? -1 : 1;
        int exponent = signAndExponent & 0x7FFF;
        if (exponent == 0x7FFF) return (mantissa << 1) == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        if (exponent == 0 && mantissa == 0) return 0;
        // The top 53 of the 64 mantissa bits fit a double exactly; the value is mantissa * 2^(exponent - 16383 - 63).
        return sign * Math.scalb((double) (mantissa >>> 11), exponent - 16383 - 52);
    }
}
