package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ser evaluate} on other corpora names its folder after each corpus, not after its manifest's file name. */
class EvaluateOutputFolderTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void twoManifestsOfTheSameNameGetAFolderEach() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/a");
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()), console.err());
        List<Path> clips;
        try (var s = Files.list(corpus)) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(4).toList();
        }

        for (String name : List.of("emovo-16k", "ravdess-16k")) {
            Path manifest = manifest(dir.resolve(name), clips);
            assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", manifest.toString()), console.err());
            Path out = run.resolve("eval-" + name + "-all");
            Map<?, ?> metrics = (Map<?, ?>) Json.read(out.resolve("metrics.json"));
            assertEquals(manifest.toAbsolutePath().toString(), metrics.get("data"));
            assertTrue(metrics.containsKey("ece") && metrics.containsKey("calibration"));
            assertFalse(metrics.containsKey("per_corpus"), "one corpus: its scores are the overall ones");
            assertTrue(Files.isRegularFile(out.resolve("reliability.png")));
        }
        assertFalse(Files.exists(run.resolve("eval-manifest.csv-all")));
        // The run's own corpus still gets eval-test.
        assertEquals(0, Main.run("evaluate", "--run", run.toString()), console.err());
        assertTrue(Files.isRegularFile(run.resolve("eval-test/metrics.json")));
    }

    /** {@code folder/manifest.csv} listing copies of {@code clips}, labelled by their CREMA-D names. */
    private static Path manifest(Path folder, List<Path> clips) throws IOException {
        Files.createDirectories(folder.resolve("audio"));
        StringBuilder csv = new StringBuilder("path,label\n");
        for (Path clip : clips) {
            String file = clip.getFileName().toString();
            Files.copy(clip, folder.resolve("audio").resolve(file));
            csv.append("audio/").append(file).append(',').append(file.split("_")[2]).append('\n');
        }
        return Files.writeString(folder.resolve("manifest.csv"), csv.toString());
    }
}
