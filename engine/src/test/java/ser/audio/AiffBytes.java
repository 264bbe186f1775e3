package ser.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static ser.audio.WavBytes.ascii;
import static ser.audio.WavBytes.concat;

/** Builds AIFF and AIFF-C files byte by byte for the tests, big-endian as the format is; any field may lie. */
final class AiffBytes {

    private AiffBytes() {}

    /** {@code FORM <size> AIFF} followed by the chunks, with an honest FORM size. */
    static byte[] aiff(byte[]... chunks) {
        return form("AIFF", chunks);
    }

    /** {@code FORM <size> AIFC}, its FVER chunk, then the chunks. */
    static byte[] aifc(byte[]... chunks) {
        byte[] fver = chunk("FVER", be(4).putInt(0xA2805140).array());
        return form("AIFC", concat(fver, concat(chunks)));
    }

    private static byte[] form(String type, byte[]... chunks) {
        byte[] body = concat(chunks);
        return concat(ascii("FORM"), u32(4 + body.length), ascii(type), body);
    }

    /** A chunk with its true size, and the pad byte when the size is odd. */
    static byte[] chunk(String id, byte[] body) {
        return concat(ascii(id), u32(body.length), body, new byte[body.length & 1]);
    }

    /** A chunk whose header claims {@code declaredSize} whatever the body actually holds. */
    static byte[] chunkClaiming(String id, long declaredSize, byte[] body) {
        return concat(ascii(id), u32(declaredSize), body);
    }

    /** An 18-byte AIFF COMM body. */
    static byte[] comm(int channels, long frames, int bits, double rate) {
        return be(18).putShort((short) channels).putInt((int) frames).putShort((short) bits).put(extended(rate)).array();
    }

    /** An AIFF-C COMM body: the AIFF fields, the compression type and its (Pascal string) name. */
    static byte[] commC(int channels, long frames, int bits, double rate, String compression) {
        byte[] name = ascii("x");
        return concat(comm(channels, frames, bits, rate), ascii(compression), new byte[] {(byte) name.length}, name);
    }

    /** An SSND body: offset, block size 0, {@code offset} filler bytes, then the samples. */
    static byte[] ssnd(int offset, byte[] samples) {
        return concat(be(8).putInt(offset).putInt(0).array(), new byte[offset], samples);
    }

    static byte[] ssnd(byte[] samples) {
        return ssnd(0, samples);
    }

    /** Interleaved integers of {@code bits} in {@code order}, two's complement at every size. */
    static byte[] pcm(ByteOrder order, int bits, int... samples) {
        int width = bits / 8;
        ByteBuffer out = ByteBuffer.allocate(samples.length * width);
        for (int s : samples) {
            for (int i = 0; i < width; i++) {
                int shift = order == ByteOrder.BIG_ENDIAN ? 8 * (width - 1 - i) : 8 * i;
                out.put((byte) (s >> shift));
            }
        }
        return out.array();
    }

    static byte[] pcm(int bits, int... samples) {
        return pcm(ByteOrder.BIG_ENDIAN, bits, samples);
    }

    static byte[] float32(float... samples) {
        ByteBuffer out = be(samples.length * 4);
        for (float s : samples) out.putFloat(s);
        return out.array();
    }

    static byte[] float64(double... samples) {
        ByteBuffer out = be(samples.length * 8);
        for (double s : samples) out.putDouble(s);
        return out.array();
    }

    /** A positive number as an 80-bit IEEE extended: sign and biased exponent, then the 64-bit mantissa. */
    static byte[] extended(double value) {
        long bits = Double.doubleToRawLongBits(value);
        int exponent = Math.getExponent(value) + 16383;
        long mantissa = 1L << 63 | (bits & 0xF_FFFF_FFFF_FFFFL) << 11;
        return be(10).putShort((short) exponent).putLong(mantissa).array();
    }

    static byte[] u32(long value) {
        return be(4).putInt((int) value).array();
    }

    private static ByteBuffer be(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
    }
}
