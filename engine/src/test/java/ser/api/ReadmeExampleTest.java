package ser.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ser.audio.AudioLoader;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.hubert.Hubert;
import ser.hubert.convert.HubertConverter;
import ser.synth.SyntheticCorpus;
import ser.tensor.Devices;
import ser.tensor.Parallel;
import ser.tensor.Tensor;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "From Java" example, call for call, on small stand-ins (a synthetic corpus, the small HuBERT fixture
 * converted as {@code ser convert} converts a checkpoint): if the README's calls change, this test no longer compiles.
 */
class ReadmeExampleTest {

    @TempDir
    Path tmp;

    @Test
    void trainClassifyExtractAndEmbedAsTheReadmeShowsThem() throws Exception {
        Path corpus = tmp.resolve("corpus");
        List<Path> files = SyntheticCorpus.generate(corpus, 8, 3, List.of("NEU", "HAP", "SAD", "ANG"), 7, 1.5);
        Path weights = tmp.resolve("hubert.safetensors");
        HubertConverter.convert(fixtures().resolve("small-base/hf"), weights, null);
        Path clip = files.getFirst();
        List<String> notices = new ArrayList<>();

        // --- the README's example, with its paths replaced ---
        List<Training.Run> runs = Training.of(Path.of("train-demo.yaml"), List.of(corpus))
                .seed(1).set("training.epochs=2").run(tmp.resolve("runs/mine"));
        EmotionRecognizer recognizer = EmotionRecognizer.open(runs.getFirst().directory());
        Prediction p = recognizer.classify(clip);
        Prediction q = recognizer.classify(AudioLoader.loadMono(clip, 44_100), 44_100);
        List<Prediction> parts = recognizer.classifyWindows(clip, 1.0, 0.5);

        float[] samples = AudioLoader.loadMono(clip, 16_000);
        Tensor mel = new LogMel(MelConfig.seed()).compute(samples);

        Hubert hubert = Hubert.load(weights, Devices.open("auto", Parallel.shared(), notices::add));
        Tensor states = hubert.forward(samples).hiddenStates();
        // --- end of the example ---

        assertEquals(1, runs.size());
        double accuracy = runs.getFirst().accuracy();
        assertTrue(accuracy >= 0 && accuracy <= 1, "test accuracy " + accuracy);
        assertTrue(recognizer.labels().contains(p.label()), p.label() + " in " + recognizer.labels());
        assertTrue(recognizer.labels().contains(q.label()), q.label() + " in " + recognizer.labels());
        assertTrue(parts.size() >= 2, parts.size() + " windows of a 1.5 s clip, 1 s every 0.5 s");
        assertEquals(128, mel.dim(0));
        assertEquals(hubert.config().layers() + 1, states.dim(0));
        assertArrayEquals(new int[] {1, hubert.config().frames(samples.length), hubert.config().hidden()},
                java.util.Arrays.copyOfRange(states.shape(), 1, 4));
        assertTrue(notices.size() <= 1, "auto says at most once why it runs on the CPU: " + notices);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(ReadmeExampleTest.class.getResource("/fixtures/hubert").toURI());
    }
}
