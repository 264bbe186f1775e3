package ser.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Element types that weight files store, named as safetensors names them, and their conversion to the
 * engine's float32. Stored data is little-endian in both safetensors and PyTorch files.
 *
 * <p>Integer and boolean tensors (BatchNorm's {@code num_batches_tracked}, position ids, masks) become floats
 * too, so that a state dict is one uniform {@code Map<String, Tensor>}; integers beyond 2^24 round to the
 * nearest float, which no weight file relies on.
 */
enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Bytes per element. */
    final int size;

    DType(int size) {
        this.size = size;
    }

    /** The type a safetensors header names, or {@code null} when this reader has no conversion for it. */
    static DType forSafetensorsName(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }

    /** Converts {@code count} elements stored from byte {@code offset} of {@code src} into {@code dst[at..]}. */
    void toFloats(MemorySegment src, long offset, float[] dst, int at, int count) {
        switch (this) {
            case F32 -> MemorySegment.copy(src, FLOAT, offset, dst, at, count);
            case F16 -> { for (int i = 0; i < count; i++) dst[at + i] = Float.float16ToFloat(src.get(SHORT, offset + 2L * i)); }
            // bfloat16 is the top half of a float32, so widening is a shift
            case BF16 -> {
                for (int i = 0; i < count; i++) dst[at + i] = Float.intBitsToFloat(src.get(SHORT, offset + 2L * i) << 16);
            }
            case F64 -> { for (int i = 0; i < count; i++) dst[at + i] = (float) src.get(DOUBLE, offset + 8L * i); }
            case I64 -> { for (int i = 0; i < count; i++) dst[at + i] = src.get(LONG, offset + 8L * i); }
            case I32 -> { for (int i = 0; i < count; i++) dst[at + i] = src.get(INT, offset + 4L * i); }
            case I16 -> { for (int i = 0; i < count; i++) dst[at + i] = src.get(SHORT, offset + 2L * i); }
            case I8 -> { for (int i = 0; i < count; i++) dst[at + i] = src.get(ValueLayout.JAVA_BYTE, offset + i); }
            case U8 -> {
                for (int i = 0; i < count; i++) dst[at + i] = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, offset + i));
            }
            case BOOL -> { for (int i = 0; i < count; i++) dst[at + i] = src.get(ValueLayout.JAVA_BYTE, offset + i) != 0 ? 1f : 0f; }
        }
    }
}
