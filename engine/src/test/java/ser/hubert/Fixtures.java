package ser.hubert;

import ser.io.Json;
import ser.tensor.Tensor;

import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the oracle's fixtures (tools/reference/make_hubert_fixtures.py): npy, safetensors, WAV excerpts. */
final class Fixtures {

    private Fixtures() {}

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/hubert").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shared data folder, or null when this machine has none. */
    static Path shared() {
        String s = System.getProperty("ser.shared");
        return s == null || !Files.isDirectory(Path.of(s)) ? null : Path.of(s);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Path file) {
        return (Map<String, Object>) Json.read(file);
    }

    /** A little-endian float32 npy array. */
    static Tensor npy(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = buf.getShort(8) & 0xffff;
        String header = new String(buf.array(), 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f4'") && header.contains("'fortran_order': False"), header);
        Matcher m = Pattern.compile("'shape': \\(([^)]*)\\)").matcher(header);
        assertTrue(m.find(), header);
        int[] shape = Pattern.compile(",").splitAsStream(m.group(1)).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        float[] data = new float[Math.toIntExact(Tensor.count(shape))];
        buf.position(10 + headerLen);
        buf.asFloatBuffer().get(data);
        return Tensor.wrap(data, shape);
    }

    /** Every F32 tensor of a safetensors file, read onto the heap (test-side; the engine maps its own files). */
    @SuppressWarnings("unchecked")
    static Map<String, Tensor> safetensors(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = Math.toIntExact(buf.getLong(0));
        Map<String, Object> header = (Map<String, Object>) Json.parse(new String(buf.array(), 8, headerLen, StandardCharsets.UTF_8));
        Map<String, Tensor> out = new LinkedHashMap<>();
        header.forEach((name, v) -> {
            if (name.equals("__metadata__")) return;
            Map<String, Object> info = (Map<String, Object>) v;
            int[] shape = ((List<Object>) info.get("shape")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            long begin = ((Number) ((List<Object>) info.get("data_offsets")).get(0)).longValue();
            float[] data = new float[Math.toIntExact(Tensor.count(shape))];
            buf.slice(8 + headerLen + (int) begin, data.length * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            out.put(name, Tensor.wrap(data, shape));
        });
        return out;
    }

    /** The input clips of a fixture input ("synth-batch", "speech-single", ...), or null when the audio is absent. */
    @SuppressWarnings("unchecked")
    static List<float[]> clips(Path manifest) throws Exception {
        Map<String, Object> m = json(manifest);
        List<float[]> clips = new ArrayList<>();
        if (m.get("source").equals("synthetic")) {
            for (Object name : (List<Object>) m.get("clips")) clips.add(npy(dir().resolve("inputs").resolve((String) name)).toArray());
            return clips;
        }
        Path shared = shared();
        if (shared == null) return null;
        for (Object o : (List<Object>) m.get("clips")) {
            Map<String, Object> clip = (Map<String, Object>) o;
            Path wav = shared.resolve("data").resolve("ravdess-16k").resolve((String) clip.get("file"));
            if (!Files.exists(wav)) return null;
            float[] all = pcm16(wav);
            int start = ((Number) clip.get("start")).intValue(), count = ((Number) clip.get("count")).intValue();
            float[] excerpt = new float[count];
            System.arraycopy(all, start, excerpt, 0, count);
            clips.add(excerpt);
        }
        return clips;
    }

    /** 16-bit mono PCM as int16 / 32768, as torchaudio.load returns it. */
    static float[] pcm16(Path wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            byte[] bytes = in.readAllBytes();
            assertTrue(in.getFormat().getSampleSizeInBits() == 16 && in.getFormat().getChannels() == 1, in.getFormat().toString());
            ByteBuffer b = ByteBuffer.wrap(bytes).order(in.getFormat().isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.length / 2];
            for (int i = 0; i < out.length; i++) out[i] = b.getShort(2 * i) / 32768f;
            return out;
        }
    }

    /** |actual - expected| ≤ tol · max|expected| everywhere; the message names the worst element. */
    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()),
                what + ": shape " + java.util.Arrays.toString(actual.shape()) + ", expected " + java.util.Arrays.toString(expected.shape()));
        float[] e = expected.toArray(), a = actual.toArray();
        double max = 0, worst = 0;
        int at = 0;
        for (float v : e) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) { worst = d; at = i; }
        }
        assertTrue(worst <= tol * max, String.format("%s: worst |diff| %.3g at %d (expected %g, got %g), limit %.3g",
                what, worst, at, e[at], a[at], tol * max));
    }
}
