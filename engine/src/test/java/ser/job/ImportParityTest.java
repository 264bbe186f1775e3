package ser.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.audio.AudioLoader;
import ser.io.Json;
import ser.io.Npy;
import ser.model.Inference;
import ser.model.Model;
import ser.model.ModelSpec;
import ser.run.TrainedModel;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Models saved by the seed's PyTorch code (tools/reference/make_import_fixtures.py, torch 1.13) give the logits
 * PyTorch gives: on PyTorch's own log-Mel input, and end to end from the WAV through our audio and log-Mel code.
 */
class ImportParityTest {

    private static final Path CONFIG = Path.of(System.getProperty("user.dir")).resolveSibling("config");
    private static final List<String> LABELS = List.of("NEU", "HAP", "SAD", "ANG");

    @Test
    void seedMelCnnGivesPyTorchsLogitsOnTheSameInput() throws Exception {
        Model model = ImportJob.load(fixture("melcnn.pt"), ModelSpec.load(CONFIG.resolve("models/mel-cnn-seed.yaml")),
                new int[] {1, 128, 151}, 4);
        float[] input = Npy.read(fixture("clip.logmel.npy")).contiguous().toArray();
        float[] logits = Inference.logits(model, new float[][] {input}, 1)[0];
        assertClose(expected("melcnn"), logits, 1e-4);
    }

    @Test
    void importedRunGivesPyTorchsLogitsFromTheWav(@TempDir Path dir) throws Exception {
        new ImportJob(fixture("melcnn.pt"), CONFIG.resolve("models/mel-cnn-seed.yaml"), LABELS, dir.resolve("run"), null).run();
        TrainedModel model = TrainedModel.load(dir.resolve("run"));
        assertEquals(LABELS, model.labels());
        float[] samples = AudioLoader.loadMono(fixture("clip.wav"), 16000);
        assertClose(expected("melcnn"), model.logits(samples), 1e-4);
    }

    @Test
    void seedHubertMlpFromAHalfPrecisionCheckpoint() throws Exception {
        Model model = ImportJob.load(fixture("hubert_mlp.pt"), ModelSpec.load(CONFIG.resolve("models/hubert-mlp-seed.yaml")),
                new int[] {768}, 4);
        float[] embedding = Npy.read(fixture("embedding.npy")).contiguous().toArray();
        assertClose(expected("hubert_mlp"), Inference.logits(model, new float[][] {embedding}, 1)[0], 1e-4);
    }

    @Test
    void aCheckpointOfAnotherShapeIsAOneLineErrorNamingTheFile() throws Exception {
        Path pt = fixture("hubert_mlp.pt");
        SerException e = assertThrows(SerException.class, () -> ImportJob.load(pt,
                ModelSpec.load(CONFIG.resolve("models/mel-cnn-seed.yaml")), new int[] {1, 128, 151}, 4));
        assertTrue(e.getMessage().startsWith(pt + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("conv1.weight"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "logit " + i + " of " + java.util.Arrays.toString(actual));
        }
    }

    private static float[] expected(String model) throws Exception {
        Map<?, ?> json = (Map<?, ?>) Json.read(fixture("logits.json"));
        List<?> values = (List<?>) json.get(model);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) values.get(i)).floatValue();
        return out;
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(ImportParityTest.class.getResource("/fixtures/import/" + name).toURI());
    }
}
