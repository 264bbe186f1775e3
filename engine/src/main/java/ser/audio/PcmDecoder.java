package ser.audio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Turns the interleaved bytes of a data chunk into one float array per channel. */
final class PcmDecoder {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PcmDecoder() {}

    /** Decodes {@code frames} whole frames from the start of {@code data}, which must hold at least that many. */
    static float[][] decode(WavFormat format, MemorySegment data, int frames) {
        int channels = format.channels();
        float[][] out = new float[channels][frames];
        long stride = format.blockAlign();
        int width = format.bytesPerSample();
        SampleReader reader = readerFor(format);
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

    private static SampleReader readerFor(WavFormat format) {
        if (format.encoding() == SampleEncoding.IEEE_FLOAT) {
            return format.bitsPerSample() == 32 ? (d, at) -> d.get(F32, at) : (d, at) -> (float) d.get(F64, at);
        }
        return switch (format.bitsPerSample()) {
            case 8 -> (d, at) -> (Byte.toUnsignedInt(d.get(ValueLayout.JAVA_BYTE, at)) - 128) * 0x1p-7f;
            case 16 -> (d, at) -> d.get(I16, at) * 0x1p-15f;
            case 24 -> (d, at) -> int24(d, at) * 0x1p-23f;
            case 32 -> (d, at) -> d.get(I32, at) * 0x1p-31f;
            default -> throw new IllegalStateException("WavFormat let through " + format.bitsPerSample() + "-bit PCM");
        };
    }

    private static int int24(MemorySegment data, long at) {
        int lo = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, at));
        int mid = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, at + 1));
        int hi = data.get(ValueLayout.JAVA_BYTE, at + 2); // sign-extends
        return hi << 16 | mid << 8 | lo;
    }
}
