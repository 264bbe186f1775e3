package ser.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ser.SerException;

/** Writes mono WAV files: 16-bit PCM for players and people, 32-bit float when every bit of the signal matters. */
public final class WavWriter {

    private static final int TAG_PCM = 1;
    private static final int TAG_FLOAT = 3;
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 64; // the file is built in one heap buffer

    private WavWriter() {}

    /**
     * Samples scaled by 32768 and rounded, clipped to the 16-bit range; so a value k/32768 reads back exactly
     * through {@link WavReader}.
     */
    public static void writePcm16(Path file, float[] samples, int sampleRate) {
        ByteBuffer wav = header(file, TAG_PCM, 16, samples.length, sampleRate);
        for (float x : samples) {
            wav.putShort((short) Math.clamp(Math.round(x * 32768.0), Short.MIN_VALUE, Short.MAX_VALUE));
        }
        write(file, wav);
    }

    /** Samples as they are, in IEEE float32, with the {@code fact} chunk that non-PCM WAV files should carry. */
    public static void writeFloat32(Path file, float[] samples, int sampleRate) {
        ByteBuffer wav = header(file, TAG_FLOAT, 32, samples.length, sampleRate);
        for (float x : samples) wav.putFloat(x);
        write(file, wav);
    }

    /** The whole file's buffer, filled up to the first data byte. */
    private static ByteBuffer header(Path file, int tag, int bits, int frames, int sampleRate) {
        int bytesPerSample = bits / 8;
        long dataBytes = (long) frames * bytesPerSample;
        if (dataBytes > MAX_DATA_BYTES) throw SerException.inFile(file, "too long for a WAV file: " + frames + " samples");
        boolean pcm = tag == TAG_PCM;
        int fmtBytes = pcm ? 16 : 18; // non-PCM formats carry cbSize, here 0
        int factBytes = pcm ? 0 : 12;
        int headerBytes = 12 + 8 + fmtBytes + factBytes + 8;
        ByteBuffer wav = ByteBuffer.allocate((int) (headerBytes + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(ascii("RIFF")).putInt((int) (headerBytes - 8 + dataBytes)).put(ascii("WAVE"));
        wav.put(ascii("fmt ")).putInt(fmtBytes)
                .putShort((short) tag).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * bytesPerSample)
                .putShort((short) bytesPerSample).putShort((short) bits);
        if (!pcm) {
            wav.putShort((short) 0);
            wav.put(ascii("fact")).putInt(4).putInt(frames);
        }
        wav.put(ascii("data")).putInt((int) dataBytes);
        return wav;
    }

    private static byte[] ascii(String fourCC) {
        return fourCC.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(Path file, ByteBuffer wav) {
        try {
            Files.write(file, wav.array());
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot write: " + e.getMessage(), e);
        }
    }
}
