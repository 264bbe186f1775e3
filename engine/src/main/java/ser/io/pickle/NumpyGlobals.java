package ser.io.pickle;

import ser.SerException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NumPy scalars, which training loops leave in checkpoints ({@code np.float64} losses, {@code np.int64} step
 * counts). A scalar is pickled as {@code scalar(dtype('f8'), raw_bytes)}; it comes back as a Java
 * {@link Double}, {@link Long} or {@link Boolean}. Arrays are not allowed.
 */
final class NumpyGlobals {

    private NumpyGlobals() {}

    static Map<String, PickleGlobal> all() {
        Map<String, PickleGlobal> globals = new TreeMap<>();
        // NumPy 2 moved the module; checkpoints name whichever wrote them
        for (String module : List.of("numpy.core.multiarray", "numpy._core.multiarray")) {
            PythonGlobals.add(globals, PickleGlobal.function(module + ".scalar", NumpyGlobals::scalar));
        }
        PythonGlobals.add(globals, new DtypeClass());
        return globals;
    }

    /** {@code numpy.dtype}: made from a type code, then BUILD sets its byte order. */
    static final class Dtype implements PythonObject {
        final String code;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        Dtype(String code) {
            this.code = code;
        }

        @Override public String pythonType() { return "numpy.dtype"; }
    }

    private static final class DtypeClass implements PickleGlobal {
        @Override public String name() { return "numpy.dtype"; }

        @Override
        public Object call(List<Object> args) {
            expectArgs(args, 1, 3);
            return new Dtype(arg(args, 0, String.class));
        }

        /** State {@code (version, byteorder, ...)}; only the byte order matters for a scalar. */
        @Override
        public void build(Object made, Object state) {
            if (!(state instanceof List<?> s) || s.size() < 2 || !(s.get(1) instanceof String order)) {
                throw new UnpicklingError(name() + " state is not (version, byteorder, ...)");
            }
            ((Dtype) made).order = order.equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }
    }

    private static Object scalar(List<Object> args) {
        if (args.size() != 2 || !(args.get(0) instanceof Dtype dtype) || !(args.get(1) instanceof byte[] raw)) {
            throw new UnpicklingError("numpy scalar() wants (dtype, bytes)");
        }
        MemorySegment b = MemorySegment.ofArray(raw);
        int width = switch (dtype.code) {
            case "f8", "i8", "u8" -> 8;
            case "f4", "i4", "u4" -> 4;
            case "i2", "u2" -> 2;
            case "i1", "u1", "b1" -> 1;
            default -> throw new UnpicklingError("numpy scalar of dtype " + SerException.quote(dtype.code) + " is not supported");
        };
        if (raw.length != width) {
            throw new UnpicklingError("numpy scalar of dtype " + SerException.quote(dtype.code) + " with " + raw.length + " bytes");
        }
        return switch (dtype.code) {
            case "f8" -> b.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(dtype.order), 0);
            case "f4" -> (double) b.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(dtype.order), 0);
            case "i8", "u8" -> b.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(dtype.order), 0);
            case "i4" -> (long) b.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(dtype.order), 0);
            case "u4" -> Integer.toUnsignedLong(b.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(dtype.order), 0));
            case "i2" -> (long) b.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(dtype.order), 0);
            case "u2" -> (long) Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(dtype.order), 0));
            case "i1" -> (long) raw[0];
            case "u1" -> (long) Byte.toUnsignedInt(raw[0]);
            default -> raw[0] != 0; // b1
        };
    }
}
