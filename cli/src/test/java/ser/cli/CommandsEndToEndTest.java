package ser.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.data.FeatureIndex;
import ser.audio.WavWriter;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.io.Npy;
import ser.tensor.Tensor;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * mel, features and demo on short synthetic WAV files, through the real decoder and log-Mel. Skipped while
 * those are still contract stubs on this branch; the merged tree runs it.
 */
class CommandsEndToEndTest {

    @TempDir
    Path dir;

    private PrintStream savedOut, savedErr;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private MelConfig seed;

    @BeforeEach
    void setUp() {
        try {
            seed = MelConfig.seed();
            new LogMel(seed).compute(new float[seed.nFft()]);
        } catch (UnsupportedOperationException stub) {
            assumeTrue(false, "log-Mel or its config is still a stub here: " + stub.getMessage());
        }
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        if (savedOut != null) System.setOut(savedOut);
        if (savedErr != null) System.setErr(savedErr);
    }

    private Path wav(String relative, double seconds) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        WavWriter.writePcm16(p, DemoVoice.synthesize(seed.sampleRate(), seconds), seed.sampleRate());
        return p;
    }

    @Test
    void melWritesTheWholeFileAndAPicture() throws IOException {
        Path in = wav("in.wav", 0.5);
        Path npy = dir.resolve("out/in.npy"), png = dir.resolve("out/in.png");
        assertEquals(0, Main.run("mel", in.toString(), "--out", npy.toString(), "--png", png.toString()), err.toString());
        Tensor mel = Npy.read(npy);
        assertArrayEquals(new int[] {seed.nMels(), 1 + seed.sampleRate() / 2 / seed.hopLength()}, mel.shape());
        assertNotNull(ImageIO.read(png.toFile()));
    }

    @Test
    void featuresExtractsACorpusAndReportsItsBadFile() throws IOException {
        wav("data/Actor_01/03-01-05-01-01-01-01.wav", 0.4);
        wav("data/Actor_02/03-01-01-01-01-01-02.wav", 0.6);
        wav("data/Actor_02/03-01-02-01-01-01-02.wav", 0.4); // calm: not in seed4
        Files.writeString(dir.resolve("data/Actor_02/03-01-04-01-01-01-02.wav"), "not a wav");
        Path out = dir.resolve("features");
        assertEquals(3, Main.run("features", "--data", dir.resolve("data").toString(), "--out", out.toString(),
                "--threads", "2"), "done, with a file skipped: " + err);

        List<FeatureIndex.Entry> index = FeatureIndex.read(out, dir.resolve("data"));
        assertEquals(List.of("ANG", "NEU"), index.stream().map(e -> e.utterance().label()).toList());
        assertArrayEquals(Npy.read(index.get(1).npy()).shape(), index.get(1).shape());
        assertEquals(seed.nMels(), index.get(1).shape()[0]);
        assertTrue(err.toString().contains("failed " + dir.resolve("data/Actor_02/03-01-04-01-01-01-02.wav")), err.toString());
    }
}
