package ser.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds WAV files byte by byte for the tests, well-formed or not: each piece is a plain byte array, so a test
 * can lie in any header field it likes.
 */
final class WavBytes {

    static final int PCM = 1, FLOAT = 3, EXTENSIBLE = 0xFFFE;

    private WavBytes() {}

    /** {@code RIFF <size> WAVE} followed by the chunks, with an honest RIFF size. */
    static byte[] riff(byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ascii("RIFF"), u32(4 + body.length), ascii("WAVE"), body);
    }

    /** A chunk with its true size, and RIFF's pad byte when the size is odd. */
    static byte[] chunk(String id, byte[] body) {
        return concat(ascii(id), u32(body.length), body, new byte[body.length & 1]);
    }

    /** A chunk whose header claims {@code declaredSize} whatever the body actually holds (no pad byte). */
    static byte[] chunkClaiming(String id, long declaredSize, byte[] body) {
        return concat(ascii(id), u32(declaredSize), body);
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        return fmt(tag, channels, rate, channels * (bits / 8), bits);
    }

    /** A 16-byte fmt chunk body, block align as given. */
    static byte[] fmt(int tag, int channels, int rate, int blockAlign, int bits) {
        return le(16).putShort((short) tag).putShort((short) channels).putInt(rate).putInt(rate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits).array();
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body whose subformat GUID carries {@code subTag}. */
    static byte[] fmtExtensible(int channels, int rate, int bits, int validBits, int subTag) {
        byte[] guidTail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
            (byte) 0x9B, 0x71};
        return concat(fmt(EXTENSIBLE, channels, rate, bits),
                le(24).putShort((short) 22).putShort((short) validBits).putInt(0).putShort((short) subTag)
                        .put(guidTail).array());
    }

    /** Interleaved little-endian integers of {@code bits} (8-bit values are stored as given, i.e. unsigned). */
    static byte[] pcm(int bits, int... samples) {
        ByteBuffer out = le(samples.length * bits / 8);
        for (int s : samples) {
            for (int b = 0; b < bits; b += 8) out.put((byte) (s >> b));
        }
        return out.array();
    }

    static byte[] float32(float... samples) {
        ByteBuffer out = le(samples.length * 4);
        for (float s : samples) out.putFloat(s);
        return out.array();
    }

    static byte[] float64(double... samples) {
        ByteBuffer out = le(samples.length * 8);
        for (double s : samples) out.putDouble(s);
        return out.array();
    }

    static byte[] u32(long value) {
        return le(4).putInt((int) value).array();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) out.writeBytes(part);
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
