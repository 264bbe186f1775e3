package ser.dsp;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The torchaudio oracle's output (tools/reference/make_mel_fixtures.py) and the small readers the tests need:
 * little-endian float32 .npy and 16-bit PCM mono WAV. Test-only stand-ins for ser.io.Npy and ser.audio.
 */
final class MelFixtures {

    /** A float32 array and its shape. */
    record Array(float[] data, int[] shape) {}

    private MelFixtures() {}

    static Path dir() {
        try {
            return Path.of(MelFixtures.class.getResource("/fixtures/mel/cases.tsv").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tab-separated lines of a fixture table. */
    static List<String[]> table(String name) throws IOException {
        return Files.readAllLines(dir().resolve(name)).stream().filter(l -> !l.isBlank()).map(l -> l.split("\t")).toList();
    }

    static Array npy(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.get() != (byte) 0x93 || buf.get() != 'N') throw new IOException(file + ": not .npy");
        buf.position(6);
        int major = buf.get();
        buf.get();
        int headerLength = major == 1 ? Short.toUnsignedInt(buf.getShort()) : buf.getInt();
        byte[] header = new byte[headerLength];
        buf.get(header);
        String dict = new String(header, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (!dict.contains("'descr': '<f4'") || !dict.contains("'fortran_order': False")) {
            throw new IOException(file + ": expected C-order little-endian float32, header " + dict.trim());
        }
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(dict);
        if (!m.find()) throw new IOException(file + ": no shape in " + dict);
        int[] shape = Arrays.stream(m.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        float[] data = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        buf.asFloatBuffer().get(data);
        return new Array(data, shape);
    }

    /** 16-bit PCM mono WAV samples scaled by 1/32768, as torchaudio.load returns them. */
    static float[] wav16(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(12);
        while (buf.remaining() >= 8) {
            int id = buf.getInt(), size = buf.getInt();
            if (id == 0x61746164) {  // "data"
                float[] samples = new float[Math.min(size, buf.remaining()) / 2];
                for (int i = 0; i < samples.length; i++) samples[i] = buf.getShort() / 32768f;
                return samples;
            }
            if (id == 0x20746d66 && (buf.getShort(buf.position()) != 1 || buf.getShort(buf.position() + 2) != 1
                    || buf.getShort(buf.position() + 14) != 16)) {  // "fmt "
                throw new IOException(file + ": not 16-bit PCM mono");
            }
            buf.position(buf.position() + size + (size & 1));
        }
        throw new IOException(file + ": no data chunk");
    }
}
