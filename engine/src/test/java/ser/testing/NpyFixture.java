package ser.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import ser.tensor.Tensor;

/** Reads the little-endian float32 C-order {@code .npy} files that the fixture scripts write (test-only). */
public final class NpyFixture {

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private NpyFixture() {}

    public static Tensor read(Path file) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            int major = buf.get(6);
            int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
            int dataAt = (major == 1 ? 10 : 12) + headerLength;
            String header = new String(buf.array(), major == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
            if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
                throw new IllegalArgumentException(file + ": not a C-order float32 array: " + header);
            }
            Matcher m = SHAPE.matcher(header);
            if (!m.find()) throw new IllegalArgumentException(file + ": no shape in " + header);
            int[] shape = java.util.Arrays.stream(m.group(1).split(","))
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            float[] data = new float[Math.toIntExact(Tensor.count(shape))];
            buf.position(dataAt);
            buf.asFloatBuffer().get(data);
            return Tensor.wrap(data, shape);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
