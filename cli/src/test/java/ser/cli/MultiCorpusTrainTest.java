package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.io.Json;
import ser.synth.SyntheticCorpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ser train} and {@code ser features} on two corpora at once, and {@code ser evaluate} on such a run. */
class MultiCorpusTrainTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void twoCorporaTrainTogetherAndAreScoredPerCorpus() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1, per_corpus: true}", 2);
        Path a = corpus(dir.resolve("alpha"), 11), b = corpus(dir.resolve("beta"), 12);
        Path run = dir.resolve("runs/ab");
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", a.toString(), "--data", b.toString(),
                "--out", run.toString(), "--set", "data={balance: corpus_class, corpora: {beta: {weight: 2}}}",
                "--set", "training.epochs=3"), console.err());

        Map<?, ?> data = (Map<?, ?>) Json.read(run.resolve("data.json"));
        assertEquals(List.of(a.toAbsolutePath().toString(), b.toAbsolutePath().toString()), data.get("data"));
        List<?> test = (List<?>) data.get("test");
        assertTrue(test.stream().anyMatch(p -> p.toString().startsWith("alpha:")), test.toString());
        assertTrue(test.stream().anyMatch(p -> p.toString().startsWith("beta:")), test.toString());
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("epochs: 3") && config.contains("balance: corpus_class") && config.contains("per_corpus: true"), config);
        assertTrue(Files.readString(run.resolve("train.log")).contains("per corpus"), "the log says which corpora and how much");

        Map<?, ?> metrics = (Map<?, ?>) Json.read(run.resolve("test/metrics.json"));
        Map<?, ?> perCorpus = (Map<?, ?>) metrics.get("per_corpus");
        assertEquals(List.of("alpha", "beta"), perCorpus.keySet().stream().map(String::valueOf).sorted().toList());

        // evaluate finds the same test files of both corpora from data.json alone
        assertEquals(0, Main.run("evaluate", "--run", run.toString()), console.err());
        Map<?, ?> again = (Map<?, ?>) Json.read(run.resolve("eval-test/metrics.json"));
        assertEquals(metrics.get("uar"), again.get("uar"));
        assertEquals(((Number) metrics.get("n")).intValue(), test.size());

        // and on every file of both corpora (the run's own, so eval-all)
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", a.toString(), "--data", b.toString(),
                "--split", "all"), console.err());
        Map<?, ?> both = (Map<?, ?>) Json.read(run.resolve("eval-all/metrics.json"));
        assertEquals(64, ((Number) both.get("n")).intValue());
        assertEquals(2, ((Map<?, ?>) both.get("per_corpus")).size());
    }

    @Test
    void featuresOfTwoCorporaGoToAFolderEach() {
        Path a = corpus(dir.resolve("alpha"), 11), b = corpus(dir.resolve("beta"), 12);
        Path out = dir.resolve("features");
        assertEquals(0, Main.run("features", "--data", a.toString(), "--data", b.toString(), "--out", out.toString()), console.err());
        assertTrue(Files.isRegularFile(out.resolve("alpha/index.csv")));
        assertTrue(Files.isRegularFile(out.resolve("beta/index.csv")));
    }

    @Test
    void prosodyFeaturesAreOneVectorPerFile() {
        Path a = corpus(dir.resolve("alpha"), 11);
        Path out = dir.resolve("prosody");
        assertEquals(0, Main.run("features", "--kind", "prosody", "--data", a.toString(), "--out", out.toString()), console.err());
        try (var files = Files.walk(out)) {
            List<Path> npy = files.filter(p -> p.toString().endsWith(".npy")).toList();
            assertEquals(32, npy.size());
            assertEquals(List.of(ser.prosody.ProsodyVector.NAMES.size()),
                    java.util.Arrays.stream(ser.io.Npy.read(npy.getFirst()).shape()).boxed().toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void twoCorporaOfTheSameFolderNameAreRefused() {
        Path a = corpus(dir.resolve("x/same"), 11), b = corpus(dir.resolve("y/same"), 12);
        Path recipe;
        try {
            recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        int code = Main.run("train", "--config", recipe.toString(), "--data", a.toString(), "--data", b.toString(),
                "--out", dir.resolve("runs/r").toString());
        assertNotEquals(0, code);
        assertTrue(console.err().contains("second corpus called 'same'"), console.err());
    }

    private static Path corpus(Path dir, long seed) {
        SyntheticCorpus.generate(dir, 4, 2, List.of("NEU", "HAP", "SAD", "ANG"), seed, 0.3);
        return dir;
    }
}
