package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ser.SerException;
import ser.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tiny.safetensors", "tiny_unaligned.safetensors"})
    void readsEveryValueOfAFileWrittenByHand(String name) {
        Safetensors st = Safetensors.read(Fixtures.ckpt(name));
        Fixtures.assertTensors(Fixtures.expected("tiny.expected.json"), st.tensors());
        assertEquals(List.of("weight", "half", "brain", "double", "ids", "scalar", "empty"),
                new ArrayList<>(st.tensors().keySet()), "header order, although the data lies in reverse");
        assertEquals(Map.of("format", "pt", "source", "make_checkpoint_fixtures.py"), st.metadata());
    }

    @Test
    void float32TensorsAreViewsOfTheMappingAndOthersAreConverted() {
        Safetensors st = Safetensors.read(Fixtures.ckpt("tiny_unaligned.safetensors"));
        Tensor weight = st.tensors().get("weight");
        assertTrue(weight.segment().isMapped(), "F32 is zero-copy, even at an unaligned offset");
        assertTrue(weight.segment().isReadOnly());
        assertNotNull(st.tensors().get("half").heapArray(), "F16 is converted onto the heap");
    }

    @Test
    void anExplicitArenaOwnsTheMapping() {
        Tensor weight;
        try (Arena arena = Arena.ofConfined()) {
            weight = Safetensors.read(Fixtures.ckpt("tiny.safetensors"), arena).tensors().get("weight");
            assertEquals(0.66135216f, weight.get(0, 0));
        }
        assertFalse(weight.segment().scope().isAlive());
    }

    @Test
    void writesFilesThatReadBackExactly() throws Exception {
        Tensor matrix = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.last", Tensor.wrap(new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE}, 3));
        tensors.put("a.transposed", matrix.transpose(0, 1));
        tensors.put("m.scalar", Tensor.wrap(new float[] {7.5f}));
        tensors.put("m.empty", Tensor.zeros(0, 4));
        Path file = dir.resolve("out/model.safetensors");
        Safetensors.write(file, tensors, Map.of("epoch", "3", "labels", "angry,happy"));

        Safetensors back = Safetensors.read(file);
        assertEquals(List.of("a.transposed", "m.empty", "m.scalar", "z.last"), new ArrayList<>(back.tensors().keySet()));
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.tensors().get("a.transposed").toArray());
        assertArrayEquals(new int[] {3, 2}, back.tensors().get("a.transposed").shape());
        assertArrayEquals(new int[] {0, 4}, back.tensors().get("m.empty").shape());
        assertArrayEquals(new int[] {}, back.tensors().get("m.scalar").shape());
        assertArrayEquals(new float[] {-0f, Float.MIN_VALUE, Float.MAX_VALUE}, back.tensors().get("z.last").toArray());
        assertEquals(Map.of("epoch", "3", "labels", "angry,happy"), back.metadata());

        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "the data section starts 8-byte aligned");
        assertEquals(bytes.length, 8 + headerLength + (6 + 0 + 1 + 3) * 4, "no gaps between tensors");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"epoch\":\"3\",\"labels\":\"angry,happy\"},"
                + "\"a.transposed\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,24]}"), header);

        Map<String, Tensor> reversed = new LinkedHashMap<>();
        new ArrayList<>(tensors.keySet()).reversed().forEach(k -> reversed.put(k, tensors.get(k)));
        Path again = dir.resolve("again.safetensors");
        back.write(again);
        Safetensors.write(dir.resolve("reordered.safetensors"), reversed, Map.of("labels", "angry,happy", "epoch", "3"));
        assertArrayEquals(bytes, Files.readAllBytes(again), "a read-write round trip changes no byte");
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("reordered.safetensors")), "map order does not matter");
    }

    @Test
    void writerRefusesReservedNames() {
        Tensor t = Tensor.zeros(1);
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"), Map.of("__metadata__", t), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x"), Map.of("", t), Map.of()));
        assertFalse(Files.exists(dir.resolve("x")));
    }

    // ---- damaged files ----------------------------------------------------------------------------------

    @Test
    void everyTruncationIsAOneLineError() throws Exception {
        byte[] whole = Files.readAllBytes(Fixtures.ckpt("tiny.safetensors"));
        Path cut = dir.resolve("cut.safetensors");
        Fixtures.forEveryCut(whole, cut, n -> {
            try (Arena arena = Arena.ofConfined()) {
                String m = assertThrows(SerException.class, () -> Safetensors.read(cut, arena), "cut at " + n).getMessage();
                assertTrue(m.startsWith(cut + ": ") && !m.contains("\n"), m);
            }
        });
        Files.write(cut, Arrays.copyOf(whole, 5));
        assertEquals(cut + ": truncated safetensors file: 5 bytes, too short for the 8-byte header length", message(cut));
        Files.write(cut, Arrays.copyOf(whole, 100));
        assertTrue(message(cut).startsWith(cut + ": truncated: header length says "), message(cut));
        Files.write(cut, Arrays.copyOf(whole, whole.length - 1));
        assertEquals(cut + ": tensor 'weight': data_offsets [68, 92] run past the end of the file: the data section has 91 bytes (truncated?)",
                message(cut));
    }

    @Test
    void absurdHeaderLengths() throws Exception {
        Path f = dir.resolve("f.safetensors");
        Files.write(f, withLength(1L << 40, "{}"));
        assertEquals(f + ": header length 1099511627776 is absurd (limit 100000000 bytes): not a safetensors file?", message(f));
        Files.write(f, withLength(-1, "{}"));
        assertEquals(f + ": header length 18446744073709551615 is absurd (limit 100000000 bytes): not a safetensors file?", message(f));
    }

    @Test
    void headerProblemsNameTheTensor() throws Exception {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        assertBad("{" + ok + ",\"b\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[8,9]}}", 9,
                "tensor 'b': unsupported dtype 'Q7' (readable: [F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL])");
        assertBad("{\"a\\nb\":{\"dtype\":\"F32\\r\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a\\nb': unsupported dtype 'F32\\r' (readable: [F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL])");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8,
                "tensor 'a': data_offsets [0, 16] run past the end of the file: the data section has 8 bytes (truncated?)");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8,
                "tensor 'a': data_offsets [8, 4] end before they begin");
        assertBad("{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
                "tensor 'b': data_offsets [4, 12] overlap tensor 'a' [0, 8]");
        assertBad("{\"a\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a': shape [2, 3] of F16 needs 12 bytes, data_offsets [0, 8] hold 8");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a': dimension 4294967296 is too large");
        assertBad("{\"a\":{\"dtype\":\"U8\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a': shape [2147483647, 2147483647, 2147483647] is too large");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a': shape holds -2, not a non-negative integer");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8,
                "tensor 'a': shape holds 2.5, not a non-negative integer");
        assertBad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8,
                "tensor 'a': data_offsets is not a list of 2 integers");
        assertBad("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'a': no dtype");
        assertBad("{\"a\":[1]}", 8, "tensor 'a': header entry is not a JSON object");
        assertBad("{\"__metadata__\":{\"n\":1}}", 0, "__metadata__ 'n' is not a string");
        assertBad("[1]", 0, "header is not a JSON object");
        assertBad("{\"a\":", 0, "header is not valid JSON: offset 5: unexpected end of text");
    }

    @Test
    void zeroLengthTensorsOverlapNothing() throws Exception {
        Path f = dir.resolve("f.safetensors");
        Files.write(f, withLength(-2, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[2,2]}}", new byte[4]));
        assertEquals(2, Safetensors.read(f).tensors().size());
    }

    private void assertBad(String header, int dataBytes, String problem) throws Exception {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, withLength(-2, header, new byte[dataBytes]));
        assertEquals(f + ": " + problem, message(f));
    }

    private static String message(Path f) {
        return assertThrows(SerException.class, () -> Safetensors.read(f)).getMessage();
    }

    /** A file with header length {@code length}, or the true length when it is -2. */
    private static byte[] withLength(long length, String header, byte[]... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(length == -2 ? json.length : length).array());
        out.writeBytes(json);
        for (byte[] d : data) out.writeBytes(d);
        return out.toByteArray();
    }
}
