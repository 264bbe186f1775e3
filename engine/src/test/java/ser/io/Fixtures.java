package ser.io;

import ser.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntConsumer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The files under {@code fixtures/ckpt}, written by tools/reference/make_checkpoint_fixtures.py. */
final class Fixtures {

    private Fixtures() {}

    static Path ckpt(String name) {
        var url = Fixtures.class.getResource("/fixtures/ckpt/" + name);
        assertNotNull(url, "missing fixture " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code whole} to {@code cut}, then shortens it one byte at a time down to nothing, calling
     * {@code check} with each length. Truncating in place is a metadata update, fast even on a busy disk.
     */
    static void forEveryCut(byte[] whole, Path cut, IntConsumer check) throws IOException {
        Files.write(cut, whole);
        try (FileChannel channel = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            for (int n = whole.length - 1; n >= 0; n--) {
                channel.truncate(n);
                check.accept(n);
            }
        }
    }

    record Expected(int[] shape, float[] values) {}

    /** {name: {"shape": [...], "values": [...]}}: float32 values as Python wrote them, exact after a cast. */
    static Map<String, Expected> expected(String name) {
        Map<String, Expected> out = new LinkedHashMap<>();
        ((Map<?, ?>) Json.read(ckpt(name))).forEach((k, v) -> {
            Map<?, ?> m = (Map<?, ?>) v;
            int[] shape = ((List<?>) m.get("shape")).stream().mapToInt(d -> ((Long) d).intValue()).toArray();
            List<?> values = (List<?>) m.get("values");
            float[] f = new float[values.size()];
            for (int i = 0; i < f.length; i++) f[i] = ((Number) values.get(i)).floatValue();
            out.put((String) k, new Expected(shape, f));
        });
        return out;
    }

    /** Every expected tensor is present with its exact shape and values, and nothing else is. */
    static void assertTensors(Map<String, Expected> expected, Map<String, ?> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, e) -> {
            Tensor t = (Tensor) actual.get(name);
            assertArrayEquals(e.shape(), t.shape(), name);
            assertArrayEquals(e.values(), t.toArray(), name);
        });
    }
}
