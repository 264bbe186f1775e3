package ser.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.audio.AudioLoader;
import ser.audio.WavWriter;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.io.Npy;
import ser.tensor.Tensor;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ser convert} then {@code ser embed} on the small oracle model, against the library calls they wrap. */
class HubertCommandsTest {

    @TempDir
    Path tmp;

    @Test
    void convertThenEmbedWritesWhatTheLibraryComputes() throws Exception {
        Path weights = tmp.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-large/hf").toString(), "--out", weights.toString()));

        Path audio = Files.createDirectories(tmp.resolve("audio"));
        float[] clip = Npy.read(fixtures().resolve("inputs/synth-1.npy")).toArray();
        WavWriter.writePcm16(audio.resolve("a.wav"), clip, 16_000);
        WavWriter.writePcm16(audio.resolve("b.wav"), java.util.Arrays.copyOf(clip, 9000), 16_000);

        Path all = tmp.resolve("all"), pooled = tmp.resolve("pooled");
        assertEquals(0, Main.run("embed", audio.toString(), "--weights", weights.toString(), "--out", all.toString()));
        assertEquals(0, Main.run("embed", audio.resolve("b.wav").toString(), "--weights", weights.toString(),
                "--layers", "0,2", "--pool", "mean", "--out", pooled.toString()));

        Hubert hubert = Hubert.load(weights);
        HubertOutput a = hubert.forward(AudioLoader.loadMono(audio.resolve("a.wav"), 16_000));
        Tensor written = Npy.read(all.resolve("a.npy"));
        assertArrayEquals(new int[] {3, a.frames()[0], 48}, written.shape());
        // Equal up to float reordering: the pool may split a GEMM differently from run to run.
        float[] expected = a.embedding(0, new int[] {0, 1, 2}, HubertOutput.Pool.NONE).toArray(), actual = written.toArray();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5 * (1 + Math.abs(expected[i])));

        HubertOutput b = hubert.forward(AudioLoader.loadMono(audio.resolve("b.wav"), 16_000));
        Tensor mean = Npy.read(pooled.resolve("b.npy"));
        assertArrayEquals(new int[] {2, 48}, mean.shape());
        float[] last = b.state(2, 0).toArray();
        for (int j = 0; j < 48; j++) {
            double sum = 0;
            for (int t = 0; t < b.frames()[0]; t++) sum += last[t * 48 + j];
            assertEquals(sum / b.frames()[0], mean.get(1, j), 1e-5);
        }
    }

    @Test
    void aLongFileIsEmbeddedInChunksAndChunkSecondsZeroRunsItWhole() throws Exception {
        Path weights = tmp.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-base/hf").toString(), "--out", weights.toString()));
        float[] clip = Npy.read(fixtures().resolve("inputs/synth-1.npy")).toArray();
        float[] longClip = new float[16_000 * 4 + 777];
        for (int i = 0; i < longClip.length; i++) longClip[i] = clip[i % clip.length] * (float) (0.5 + 0.5 * Math.sin(i * 1e-4));
        Path wav = tmp.resolve("long.wav");
        WavWriter.writePcm16(wav, ser.audio.Resampler.resample(longClip, 16_000, 22_050), 22_050);

        Path chunked = tmp.resolve("chunked"), whole = tmp.resolve("whole");
        assertEquals(0, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", chunked.toString(),
                "--chunk-seconds", "1", "--chunk-overlap", "0.5"));
        assertEquals(0, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", whole.toString(),
                "--chunk-seconds", "0"));

        Hubert hubert = Hubert.load(weights);
        float[] samples = AudioLoader.loadMono(wav, 16_000);
        int[] states = java.util.stream.IntStream.rangeClosed(0, hubert.config().layers()).toArray();
        Tensor expected;
        try (ser.audio.MonoSamples s = ser.audio.MonoSamples.of(wav, samples)) {
            expected = ser.features.HubertChunks.embedding(hubert, s, ser.features.HubertChunks.Plan.seconds(hubert.config(), 1, 0.5),
                    states, HubertOutput.Pool.NONE);
        }
        Tensor written = Npy.read(chunked.resolve("long.npy"));
        assertArrayEquals(expected.shape(), written.shape());
        float[] e = expected.toArray(), a = written.toArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])));

        HubertOutput pass = hubert.forward(samples);
        Tensor wholeWritten = Npy.read(whole.resolve("long.npy"));
        assertArrayEquals(new int[] {states.length, pass.frames()[0], hubert.config().hidden()}, wholeWritten.shape());
        assertArrayEquals(wholeWritten.shape(), written.shape(), "as many frames chunked as whole");
        float[] w = pass.embedding(0, states, HubertOutput.Pool.NONE).toArray(), ww = wholeWritten.toArray();
        for (int i = 0; i < w.length; i++) assertEquals(w[i], ww[i], 1e-5 * (1 + Math.abs(w[i])));

        assertEquals(1, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", tmp.resolve("x").toString(),
                "--chunk-overlap", "-1"));
        assertEquals(1, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", tmp.resolve("y").toString(),
                "--chunk-seconds", "-2"));
    }

    /** The .npy {@code ser features} wrote for {@code audio}, found through its index. */
    private static Tensor featureOf(Path featureDir, String audio) throws Exception {
        for (Object item : (java.util.List<?>) ((java.util.Map<?, ?>) ser.io.Json.read(featureDir.resolve("index.json"))).get("items")) {
            java.util.Map<?, ?> entry = (java.util.Map<?, ?>) item;
            if (((String) entry.get("path")).endsWith(audio)) return Npy.read(featureDir.resolve((String) entry.get("npy")));
        }
        throw new AssertionError(audio + " not in " + featureDir);
    }

    private static void assertClose(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        // Equal up to float reordering: the pool may split a GEMM differently from run to run.
        float[] e = expected.contiguous().toArray(), a = actual.contiguous().toArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), what + " [" + i + "]");
    }

    @Test
    void featuresOfALongFileAreRunInEmbedsChunksAndMaxSecondsReadsOnlyTheStart() throws Exception {
        Path weights = tmp.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-base/hf").toString(), "--out", weights.toString()));
        float[] clip = Npy.read(fixtures().resolve("inputs/synth-1.npy")).toArray();
        float[] longClip = new float[16_000 * 27 + 321];  // 27 s: more than one 20 s chunk and 2 x 2.5 s of context
        for (int i = 0; i < longClip.length; i++) longClip[i] = clip[i % clip.length] * (float) (0.5 + 0.5 * Math.sin(i * 1e-4));
        Path data = Files.createDirectories(tmp.resolve("data"));
        WavWriter.writePcm16(data.resolve("long.wav"), ser.audio.Resampler.resample(longClip, 16_000, 22_050), 22_050);
        WavWriter.writePcm16(data.resolve("short.wav"), java.util.Arrays.copyOf(clip, 20_000), 16_000);
        Path manifest = Files.writeString(data.resolve("corpus.csv"), "long.wav,NEU\nshort.wav,HAP\n");

        for (String pool : new String[] {"none", "mean"}) {
            Path embedded = tmp.resolve("embed-" + pool), features = tmp.resolve("features-" + pool);
            assertEquals(0, Main.run("embed", data.toString(), "--weights", weights.toString(), "--pool", pool,
                    "--out", embedded.toString()));
            assertEquals(0, Main.run("features", "--kind", "hubert", "--weights", weights.toString(), "--pool", pool,
                    "--data", manifest.toString(), "--out", features.toString(), "--threads", "1"));
            for (String name : new String[] {"long", "short"}) {
                assertClose(Npy.read(embedded.resolve(name + ".npy")), featureOf(features, name + ".wav"), pool + " " + name);
            }
        }

        // The embedding of the long file is chunked (a whole-file pass differs from it by the seam) ...
        Hubert hubert = Hubert.load(weights);
        float[] samples = AudioLoader.loadMono(data.resolve("long.wav"), 16_000);
        int[] states = java.util.stream.IntStream.rangeClosed(0, hubert.config().layers()).toArray();
        Tensor onePass = hubert.forward(samples).embedding(0, states, HubertOutput.Pool.NONE);
        float[] w = onePass.toArray(), f = featureOf(tmp.resolve("features-none"), "long.wav").toArray();
        double worst = 0;
        for (int i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - f[i]));
        assertTrue(worst > 1e-4, "chunked, not one pass: " + worst);

        // ... and with --max-seconds only the start is read and run: 2 s in one pass as before, 26 s in chunks.
        Path two = tmp.resolve("features-2s"), long26 = tmp.resolve("features-26s");
        assertEquals(0, Main.run("features", "--kind", "hubert", "--weights", weights.toString(), "--pool", "none",
                "--max-seconds", "2", "--data", manifest.toString(), "--out", two.toString(), "--threads", "1"));
        assertClose(hubert.forward(java.util.Arrays.copyOf(samples, 32_000)).embedding(0, states, HubertOutput.Pool.NONE),
                featureOf(two, "long.wav"), "the first 2 s");
        assertEquals(0, Main.run("features", "--kind", "hubert", "--weights", weights.toString(), "--pool", "mean",
                "--max-seconds", "26", "--data", manifest.toString(), "--out", long26.toString(), "--threads", "1"));
        try (ser.audio.MonoSamples s = ser.audio.MonoSamples.of(null, java.util.Arrays.copyOf(samples, 26 * 16_000))) {
            assertClose(ser.features.HubertChunks.embedding(hubert, s, ser.features.HubertChunks.Plan.seconds(hubert.config(), 20, 2.5),
                    states, HubertOutput.Pool.MEAN), featureOf(long26, "long.wav"), "the first 26 s, chunked");
        }
    }

    @Test
    void badArgumentsAreOneLineErrors() throws Exception {
        Path weights = tmp.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", fixtures().resolve("small-base/hf").toString(), "--out", weights.toString()));
        Path wav = tmp.resolve("x.wav");
        WavWriter.writePcm16(wav, new float[8000], 16_000);
        assertEquals(1, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--layers", "7", "--out", tmp.toString()));
        assertEquals(1, Main.run("embed", wav.toString(), "--weights", wav.toString(), "--out", tmp.toString()));
        assertEquals(1, Main.run("convert", tmp.resolve("missing").toString(), "--out", tmp.resolve("o").toString()));
        Path tiny = tmp.resolve("tiny.wav");
        WavWriter.writePcm16(tiny, new float[300], 16_000);
        assertEquals(1, Main.run("embed", tiny.toString(), "--weights", weights.toString(), "--out", tmp.resolve("e").toString()));
        assertTrue(Files.notExists(tmp.resolve("o")));
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(HubertCommandsTest.class.getResource("/fixtures/hubert").toURI());
    }
}
