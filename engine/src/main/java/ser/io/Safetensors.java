package ser.io;

import ser.RegularFiles;
import ser.SerException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file: named tensors and a string-to-string metadata map.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {...}}}),
 * then the data section, which the offsets index. Reading maps the file once; F32 tensors are zero-copy views
 * of the mapping (read-only: {@link Tensor#copy} one to change it), other element types are converted to
 * float32 on the heap. Every inconsistency in the header is a one-line {@link SerException} naming the file
 * and the tensor, checked before any tensor is touched.
 */
public record Safetensors(Map<String, Tensor> tensors, Map<String, String> metadata) {

    /** The bound the reference implementation puts on headers; a larger length means a damaged or foreign file. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    public Safetensors {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Reads {@code file}; the mapping is released by the garbage collector once no tensor of it is reachable. */
    public static Safetensors read(Path file) {
        return read(file, Arena.ofAuto());
    }

    /** Reads {@code file} with its mapping owned by {@code arena}: closing the arena invalidates the F32 tensors. */
    public static Safetensors read(Path file, Arena arena) {
        MemorySegment bytes;
        RegularFiles.checkBeforeOpening(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < Long.BYTES) {
                throw SerException.inFile(file, "truncated safetensors file: " + size
                        + " bytes, too short for the 8-byte header length");
            }
            bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read: " + IoErrors.describe(e), e);
        }
        return new Reader(file, bytes).read();
    }

    /** Writes this file's tensors and metadata to {@code file}; see {@link #write(Path, Map, Map)}. */
    public void write(Path file) {
        write(file, tensors, metadata);
    }

    /**
     * Writes {@code tensors} as float32 in name order (so equal inputs give identical files), the data section
     * 8-byte aligned, atomically: a crash mid-write leaves any previous file in place.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        SafetensorsWriter.write(file, tensors, metadata);
    }

    /** One header entry, validated against the file before any tensor is made from it. */
    private record Entry(String name, DType type, int[] shape, long begin, long end) {}

    private record Reader(Path file, MemorySegment bytes) {

        Safetensors read() {
            long headerLength = bytes.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw SerException.inFile(file, "header length " + Long.toUnsignedString(headerLength)
                        + " is absurd (limit " + MAX_HEADER_BYTES + " bytes): not a safetensors file?");
            }
            long after = bytes.byteSize() - Long.BYTES;
            if (headerLength > after) {
                throw SerException.inFile(file, "truncated: header length says " + headerLength
                        + " bytes of JSON, the file has " + after + " after it");
            }
            byte[] json = bytes.asSlice(Long.BYTES, headerLength).toArray(ValueLayout.JAVA_BYTE);
            Object header;
            try {
                header = Json.parse(new String(json, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw SerException.inFile(file, "header is not valid JSON: " + e.getMessage(), e);
            }
            if (!(header instanceof Map<?, ?> fields)) throw SerException.inFile(file, "header is not a JSON object");

            MemorySegment data = bytes.asSlice(Long.BYTES + headerLength);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> field : fields.entrySet()) {
                String name = (String) field.getKey();
                if (name.equals("__metadata__")) {
                    readMetadata(field.getValue(), metadata);
                } else {
                    entries.add(entry(name, field.getValue(), data.byteSize()));
                }
            }
            checkNoOverlap(entries);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) tensors.put(e.name, tensor(e, data));
            return new Safetensors(tensors, metadata);
        }

        private void readMetadata(Object value, Map<String, String> into) {
            if (!(value instanceof Map<?, ?> map)) throw SerException.inFile(file, "__metadata__ is not a JSON object");
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw SerException.inFile(file, "__metadata__ " + SerException.quote(e.getKey()) + " is not a string");
                }
                into.put((String) e.getKey(), s);
            }
        }

        private Entry entry(String name, Object value, long dataBytes) {
            if (!(value instanceof Map<?, ?> info)) throw bad(name, "header entry is not a JSON object");
            if (!(info.get("dtype") instanceof String dtypeName)) throw bad(name, "no dtype");
            DType type = DType.forSafetensorsName(dtypeName);
            if (type == null) {
                throw bad(name, "unsupported dtype " + SerException.quote(dtypeName) + " (readable: "
                        + Arrays.toString(DType.values()) + ")");
            }
            long[] dims = integers(name, info.get("shape"), "shape", -1);
            int[] shape = new int[dims.length];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] > Integer.MAX_VALUE) throw bad(name, "dimension " + dims[i] + " is too large");
                shape[i] = (int) dims[i];
                try {
                    count = Math.multiplyExact(count, dims[i]);
                } catch (ArithmeticException overflow) {
                    throw bad(name, "shape " + Arrays.toString(dims) + " is too large");
                }
            }
            long[] offsets = integers(name, info.get("data_offsets"), "data_offsets", 2);
            long begin = offsets[0], end = offsets[1];
            if (begin > end) throw bad(name, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
            if (end > dataBytes) {
                throw bad(name, "data_offsets " + Arrays.toString(offsets) + " run past the end of the file: the data section has "
                        + dataBytes + " bytes (truncated?)");
            }
            if (count > (end - begin) / type.size || count * type.size != end - begin) {
                throw bad(name, "shape " + Arrays.toString(dims) + " of " + type + " needs " + multiplyOrMax(count, type.size)
                        + " bytes, data_offsets " + Arrays.toString(offsets) + " hold " + (end - begin));
            }
            return new Entry(name, type, shape, begin, end);
        }

        /** A list of non-negative integers, of length {@code expected} unless that is negative. */
        private long[] integers(String name, Object value, String field, int expected) {
            if (!(value instanceof List<?> list) || (expected >= 0 && list.size() != expected)) {
                throw bad(name, field + " is not a list" + (expected >= 0 ? " of " + expected + " integers" : " of integers"));
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long v) || v < 0) {
                    throw bad(name, field + " holds " + list.get(i) + ", not a non-negative integer");
                }
                out[i] = v;
            }
            return out;
        }

        private void checkNoOverlap(List<Entry> entries) {
            List<Entry> sorted = new ArrayList<>(entries.stream().filter(e -> e.end > e.begin).toList());
            sorted.sort(Comparator.comparingLong(Entry::begin));
            for (int i = 1; i < sorted.size(); i++) {
                Entry prev = sorted.get(i - 1), next = sorted.get(i);
                if (next.begin < prev.end) {
                    throw bad(next.name, "data_offsets [" + next.begin + ", " + next.end + "] overlap tensor "
                            + SerException.quote(prev.name) + " [" + prev.begin + ", " + prev.end + "]");
                }
            }
        }

        private Tensor tensor(Entry e, MemorySegment data) {
            MemorySegment slice = data.asSlice(e.begin, e.end - e.begin);
            if (e.type == DType.F32 && LITTLE_ENDIAN_HOST) return Tensor.wrap(slice, 0, e.shape);
            long count = Tensor.count(e.shape);
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(e.name, "too many elements (" + count + ") to convert to float32 on the heap");
            }
            float[] values = new float[(int) count];
            e.type.toFloats(slice, 0, values, 0, values.length);
            return Tensor.wrap(values, e.shape);
        }

        private static long multiplyOrMax(long a, long b) {
            try {
                return Math.multiplyExact(a, b);
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }

        private SerException bad(String tensor, String problem) {
            return SerException.inFile(file, "tensor " + SerException.quote(tensor) + ": " + problem);
        }
    }
}
