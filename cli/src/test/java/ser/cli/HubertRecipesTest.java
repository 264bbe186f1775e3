package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import ser.audio.WavWriter;
import ser.config.ConfigText;
import ser.hubert.convert.HubertConverter;
import ser.io.Json;
import ser.io.Npy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HuBERT recipes end to end on the small random HuBERT of the oracle fixtures (2 layers of 48 values) and 32
 * synthetic clips of 0.3 s: {@code ser features --kind hubert}, then each shipped recipe, scaled down (2 epochs,
 * batches of 8, one speaker each for validation and test, 0.3 s log-Mel clips), through train, evaluate and
 * predict. Random weights cannot learn emotion; what is tested is that everything runs, fits and is written.
 */
class HubertRecipesTest {

    @TempDir
    static Path shared;
    private static Path weights, otherWeights, corpus;

    @TempDir
    Path dir;
    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @BeforeAll
    static void convertAndSynthesise() throws URISyntaxException {
        Path fixtures = Path.of(HubertRecipesTest.class.getResource("/fixtures/hubert").toURI());
        weights = shared.resolve("small-base.safetensors");
        otherWeights = shared.resolve("small-large.safetensors");
        HubertConverter.convert(fixtures.resolve("small-base/hf"), weights, null);
        HubertConverter.convert(fixtures.resolve("small-large/hf"), otherWeights, null);
        corpus = TinyRecipe.corpus(shared.resolve("corpus"));
    }

    @Test
    void featuresFillTheCacheOnceSkipBadFilesAndRefuseOtherWeights() throws IOException {
        Path data = Files.createDirectories(dir.resolve("corpus"));
        try (Stream<Path> clips = Files.list(corpus)) {
            for (Path clip : clips.filter(p -> p.toString().endsWith(".wav")).toList()) Files.copy(clip, data.resolve(clip.getFileName()));
        }
        Files.writeString(data.resolve("1001_DFA_ANG_XX.wav"), "not a wav");
        WavWriter.writePcm16(data.resolve("1001_DFA_HAP_XX.wav"), new float[200], 16_000);
        Path cache = dir.resolve("cache");
        String[] features = {"features", "--kind", "hubert", "--weights", weights.toString(), "--data", data.toString(),
                "--cache", cache.toString()};

        assertEquals(3, Main.run(features), "done, with 2 files skipped: " + console.err());
        assertTrue(console.out().contains("32 utterances (32 computed, 0 reused, 2 failed)"), console.out());
        assertTrue(console.err().contains("failed " + data.resolve("1001_DFA_HAP_XX.wav") + ": too short for HuBERT"), console.err());
        assertTrue(console.err().contains("failed " + data.resolve("1001_DFA_ANG_XX.wav")), console.err());
        Path featureDir;
        try (Stream<Path> dirs = Files.list(cache)) {
            featureDir = dirs.findFirst().orElseThrow();
        }
        try (Stream<Path> npy = Files.walk(featureDir).filter(p -> p.toString().endsWith(".npy"))) {
            assertArrayEquals(new int[] {3, 48}, Npy.read(npy.findFirst().orElseThrow()).shape(), "all 3 states, mean-pooled");
        }

        console.resetOut();
        assertEquals(3, Main.run(features), console.err());
        assertTrue(console.out().contains("(0 computed, 32 reused, 2 failed)"), console.out());

        // The seed recipe trains on those very files: its cache directory is the one ser features filled.
        Path recipe = scaled("train-hubert-seed.yaml", dir);
        assertEquals(3, Main.run("train", "--config", recipe.toString(), "--data", data.toString(), "--out",
                dir.resolve("run").toString(), "--cache", cache.toString()), console.err());
        try (Stream<Path> dirs = Files.list(cache)) {
            assertEquals(List.of(featureDir), dirs.toList());
        }

        console.resetErr();
        assertEquals(1, Main.run("features", "--kind", "hubert", "--weights", otherWeights.toString(), "--data",
                data.toString(), "--out", featureDir.toString()));
        assertTrue(console.err().contains(featureDir + ": holds features of another config"), console.err());

        console.resetOut();
        assertEquals(0, Main.run("features", "--kind", "hubert", "--weights", weights.toString(), "--data", corpus.toString(),
                "--pool", "none", "--layers", "2", "--out", dir.resolve("last").toString()), console.err());
        Map<?, ?> index = (Map<?, ?>) Json.read(dir.resolve("last/index.json"));
        List<?> shape = (List<?>) ((Map<?, ?>) ((List<?>) index.get("items")).getFirst()).get("shape");
        assertEquals(List.of(1L, 14L, 48L), shape, "the last state of every frame: 0.3 s at 16 kHz makes 14 frames");
    }

    @ParameterizedTest
    @ValueSource(strings = {"train-hubert-seed.yaml", "train-hubert.yaml", "train-fusion.yaml", "train-fusion-concat.yaml"})
    void eachShippedRecipeTrainsEvaluatesAndPredicts(String name) throws IOException {
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", "--config", scaled(name, dir).toString(), "--data", corpus.toString(),
                "--out", run.toString(), "--cache", shared.resolve("cache").toString()), console.err());
        for (String f : List.of("config.yaml", "model.yaml", "labels.json", "data.json", "checkpoints/best.safetensors",
                "checkpoints/last.safetensors", "curves.png", "test/metrics.json", "test/confusion.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("weights: " + weights.toAbsolutePath()) && config.contains("weights_sha256: "), config);
        if (!name.equals("train-hubert-seed.yaml")) {
            assertTrue(Files.readString(run.resolve("train.log")).contains("layer weights of "), "the layer mixture is reported");
        }

        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertEquals(0, Main.run("train", "--resume", run.toString(), "--cache", shared.resolve("cache").toString()), console.err());
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")), "the run's own config.yaml reads back");

        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--cache", shared.resolve("cache").toString()), console.err());
        assertEquals(((Map<?, ?>) Json.read(run.resolve("test/metrics.json"))).get("confusion"),
                ((Map<?, ?>) Json.read(run.resolve("eval-test/metrics.json"))).get("confusion"),
                "evaluate scores the test part as training did");

        Path clip = corpus.resolve((String) ((List<?>) ((Map<?, ?>) Json.read(run.resolve("data.json"))).get("test")).getFirst());
        console.resetOut();
        assertEquals(0, Main.run("predict", "--run", run.toString(), clip.toString(), "--window", "0.2", "--hop", "0.1"), console.err());
        List<String> lines = console.out().lines().toList();
        assertEquals(3, lines.size(), console.out());
        for (String line : lines) {
            Map<?, ?> probabilities = (Map<?, ?>) ((Map<?, ?>) Json.parse(line)).get("probabilities");
            assertEquals(1.0, probabilities.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum(), 1e-5);
        }
    }

    @Test
    void aRunRefusesWeightsOtherThanItsOwn() throws IOException {
        Path own = Files.copy(weights, dir.resolve("hubert.safetensors"));
        Path recipe = scaled("train-hubert-seed.yaml", dir, own);
        Path run = dir.resolve("run");
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()), console.err());
        Path clip = corpus.resolve((String) ((List<?>) ((Map<?, ?>) Json.read(run.resolve("data.json"))).get("test")).getFirst());
        assertEquals(0, Main.run("predict", "--run", run.toString(), clip.toString()), console.err());

        Files.copy(otherWeights, own, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        console.resetErr();
        assertEquals(1, Main.run("predict", "--run", run.toString(), clip.toString()));
        assertTrue(console.err().contains(own + ": is not the weights this model was trained on"), console.err());
    }

    /** A shipped recipe at test size, with the fixture's weights, written into {@code dir}. */
    private static Path scaled(String recipe, Path dir) throws IOException {
        return scaled(recipe, dir, weights);
    }

    @SuppressWarnings("unchecked")
    private static Path scaled(String recipe, Path dir, Path weights) throws IOException {
        Map<String, Object> yaml = new Yaml().load(ConfigText.embedded(recipe).text());
        Map<String, Object> features = (Map<String, Object>) yaml.get("features");
        List<Map<String, Object>> sections = features.containsKey("kind") ? List.of(features)
                : features.values().stream().map(v -> (Map<String, Object>) v).toList();
        for (Map<String, Object> section : sections) {
            if (section.get("kind").equals("hubert")) section.put("weights", weights.toString());
            else section.put("clip_seconds", 0.3);
        }
        Map<String, Object> training = (Map<String, Object>) yaml.get("training");
        training.put("epochs", 2);
        training.put("batch_size", 8);
        yaml.put("split", Map.of("kind", "speakers", "val_speakers", 1, "test_speakers", 1));
        Path file = dir.resolve("scaled-" + recipe);
        Files.writeString(file, new Yaml().dump(yaml));
        return file;
    }

}
