package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import ser.config.ConfigText;
import ser.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped prosody recipes, scaled down, train, resume, evaluate and predict on a tiny synthetic corpus. */
class ProsodyRecipesTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @ParameterizedTest
    @ValueSource(strings = {"train-prosody.yaml", "train-mel-prosody.yaml"})
    void eachShippedRecipeTrainsEvaluatesAndPredicts(String name) throws IOException {
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("run"), cache = dir.resolve("cache");
        assertEquals(0, Main.run("train", "--config", scaled(name).toString(), "--data", corpus.toString(),
                "--out", run.toString(), "--cache", cache.toString()), console.err());
        assertTrue(Files.isRegularFile(run.resolve("test/metrics.json")));
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("kind: prosody") && config.contains("pitch_floor: 75.0"), config);

        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--cache", cache.toString()), console.err());
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")), "the run's own config.yaml reads back");

        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--cache", cache.toString()), console.err());
        assertEquals(((Map<?, ?>) Json.read(run.resolve("test/metrics.json"))).get("confusion"),
                ((Map<?, ?>) Json.read(run.resolve("eval-test/metrics.json"))).get("confusion"),
                "evaluate scores the test part as training did");

        Path clip = corpus.resolve((String) ((List<?>) ((Map<?, ?>) Json.read(run.resolve("data.json"))).get("test")).getFirst());
        console.resetOut();
        List<String> args = name.equals("train-prosody.yaml") ? List.of("predict", "--run", run.toString(), clip.toString())
                : List.of("predict", "--run", run.toString(), clip.toString(), "--window", "0.3", "--hop", "0.3");
        assertEquals(0, Main.run(args.toArray(String[]::new)), console.err());
        assertTrue(console.out().contains("probabilities"), console.out());
    }

    @SuppressWarnings("unchecked")
    private Path scaled(String recipe) throws IOException {
        Map<String, Object> yaml = new Yaml().load(ConfigText.embedded(recipe).text());
        Map<String, Object> features = (Map<String, Object>) yaml.get("features");
        if (features.get("mel") instanceof Map<?, ?> mel) ((Map<String, Object>) mel).put("clip_seconds", 0.3);
        Map<String, Object> training = (Map<String, Object>) yaml.get("training");
        training.put("epochs", 2);
        training.put("batch_size", 8);
        yaml.put("split", Map.of("kind", "speakers", "val_speakers", 1, "test_speakers", 1));
        Path file = dir.resolve("scaled-" + recipe);
        Files.writeString(file, new Yaml().dump(yaml));
        return file;
    }
}
