package ser.audio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Turns the interleaved bytes of a data chunk into one float array per channel. WAV stores little-endian samples
 * with 8-bit ones unsigned; AIFF stores big-endian ones (little-endian in AIFF-C {@code sowt}) with 8-bit ones
 * signed, so the byte order and the 8-bit convention are the container's to say.
 */
final class PcmDecoder {

    // Constants, not layouts picked per call: the JIT folds memory access through a static final layout only.
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt I32_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat F32_BE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private PcmDecoder() {}

    /** Decodes {@code frames} whole frames of a WAV data chunk from the start of {@code data}. */
    static float[][] decode(WavFormat format, MemorySegment data, int frames) {
        return decode(format, ByteOrder.LITTLE_ENDIAN, false, data, frames);
    }

    /**
     * Decodes {@code frames} whole frames from the start of {@code data}, which must hold at least that many.
     *
     * @param signedBytes whether 8-bit samples are two's complement (AIFF) rather than offset by 128 (WAV)
     */
    static float[][] decode(WavFormat format, ByteOrder order, boolean signedBytes, MemorySegment data, int frames) {
        return decodeInto(format, order, signedBytes, data, frames, new float[format.channels()][frames]);
    }

    /** The same into {@code out} ([channels][at least frames]), for a caller that decodes block after block. */
    static float[][] decodeInto(WavFormat format, ByteOrder order, boolean signedBytes, MemorySegment data, int frames,
                                float[][] out) {
        int channels = format.channels();
        long stride = format.blockAlign();
        int width = format.bytesPerSample();
        SampleReader reader = readerFor(format, order, signedBytes);
        for (int c = 0; c < channels; c++) {
            float[] channel = out[c];
            long at = (long) c * width;
            for (int i = 0; i < frames; i++, at += stride) {
                channel[i] = reader.read(data, at);
            }
        }
        return out;
    }

    /** One sample at a byte offset, scaled to full scale 1. */
    private interface SampleReader {
        float read(MemorySegment data, long at);
    }

    private static SampleReader readerFor(WavFormat format, ByteOrder order, boolean signedBytes) {
        boolean big = order == ByteOrder.BIG_ENDIAN;
        if (format.encoding() == SampleEncoding.IEEE_FLOAT) {
            if (format.bitsPerSample() == 32) {
                return big ? (d, at) -> d.get(F32_BE, at) : (d, at) -> d.get(F32_LE, at);
            }
            return big ? (d, at) -> (float) d.get(F64_BE, at) : (d, at) -> (float) d.get(F64_LE, at);
        }
        return switch (format.bitsPerSample()) {
            case 8 -> signedBytes
                    ? (d, at) -> d.get(ValueLayout.JAVA_BYTE, at) * 0x1p-7f
                    : (d, at) -> (Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, at)) - 128) * 0x1p-7f;
            case 16 -> big ? (d, at) -> d.get(I16_BE, at) * 0x1p-15f : (d, at) -> d.get(I16_LE, at) * 0x1p-15f;
            case 24 -> big ? (d, at) -> int24(d, at + 2, at + 1, at) * 0x1p-23f
                    : (d, at) -> int24(d, at, at + 1, at + 2) * 0x1p-23f;
            case 32 -> big ? (d, at) -> d.get(I32_BE, at) * 0x1p-31f : (d, at) -> d.get(I32_LE, at) * 0x1p-31f;
            default -> throw new IllegalStateException("a reader let through " + format.bitsPerSample() + "-bit PCM");
        };
    }

    private static int int24(MemorySegment data, long loAt, long midAt, long hiAt) {
        int lo = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, loAt));
        int mid = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, midAt));
        int hi = data.get(ValueLayout.JAVA_BYTE, hiAt); // sign-extends
        return hi << 16 | mid << 8 | lo;
    }
}
