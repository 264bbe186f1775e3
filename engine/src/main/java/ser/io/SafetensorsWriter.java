package ser.io;

import ser.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes the float32 safetensors files that {@link Safetensors#read} and the Python {@code safetensors} package read. */
final class SafetensorsWriter {

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK_FLOATS = 1 << 18;

    private SafetensorsWriter() {}

    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", new TreeMap<>(metadata));
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name '" + name + "' is reserved");
            }
            long bytes = e.getValue().size() * Float.BYTES;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, entry);
            offset += bytes;
        }
        byte[] json = paddedHeader(Json.write(header));

        AtomicFiles.writeChannel(file, out -> {
            ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES + json.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(json.length).put(json).flip();
            writeFully(out, prefix);
            byte[] chunk = new byte[CHUNK_FLOATS * Float.BYTES];
            MemorySegment staging = MemorySegment.ofArray(chunk);
            for (Tensor t : sorted.values()) {
                Tensor c = t.contiguous();
                for (long done = 0, n = c.size(); done < n; ) {
                    int count = (int) Math.min(CHUNK_FLOATS, n - done);
                    // copying through a little-endian layout fixes the byte order on any host
                    MemorySegment.copy(c.segment(), ValueLayout.JAVA_FLOAT_UNALIGNED, (c.offset() + done) * Float.BYTES,
                            staging, FLOAT_LE, 0, count);
                    writeFully(out, ByteBuffer.wrap(chunk, 0, count * Float.BYTES));
                    done += count;
                }
            }
        });
    }

    /**
     * The header JSON padded with spaces so the data section starts on an 8-byte boundary, as the reference
     * writer does: then every float32 tensor is 4-byte aligned in a mapping of the file.
     */
    private static byte[] paddedHeader(String json) {
        byte[] raw = json.getBytes(StandardCharsets.UTF_8);
        int padded = raw.length + (8 - (Long.BYTES + raw.length) % 8) % 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) out.write(buffer);
    }
}
