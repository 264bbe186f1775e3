package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.io.DirectoryLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two jobs never write one run or feature directory at once: the second stops with a one-line error. */
class OneJobPerDirectoryTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void aSecondTrainIntoTheSameOutIsRefusedWhileTheFirstRuns() throws Exception {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 10_000);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/a");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()));
        Process first = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            while (first.isAlive() && !Files.exists(run.resolve("metrics.jsonl"))) Thread.sleep(10);
            assertTrue(first.isAlive(), "the first run is still training");
            String inUse = run + ": is in use by another ser process (pid " + first.pid() + ")";

            assertEquals(1, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()));
            assertTrue(console.err().contains("ser: " + inUse), console.err());
            console.resetErr();
            assertEquals(1, Main.run("train", "--resume", run.toString()));
            assertTrue(console.err().contains("ser: " + inUse), console.err());
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void featuresAndEmbedRefuseAFolderInUse() throws IOException {
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path out = dir.resolve("features");
        try (DirectoryLock held = DirectoryLock.take(out)) {
            assertEquals(1, Main.run("features", "--data", corpus.toString(), "--out", out.toString()));
            assertTrue(console.err().contains("ser: " + out + ": is in use by another ser job of this process"), console.err());
        }
        assertEquals(0, Main.run("features", "--data", corpus.toString(), "--out", out.toString()), console.err());

        Path weights = dir.resolve("small.safetensors"), embeddings = dir.resolve("embeddings");
        assertEquals(0, Main.run("convert", Path.of(getClass().getResource("/fixtures/hubert/small-base/hf").getPath()).toString(),
                "--out", weights.toString()), console.err());
        Path wav = Files.list(corpus).filter(p -> p.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
        console.resetErr();
        try (DirectoryLock held = DirectoryLock.take(embeddings)) {
            assertEquals(1, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", embeddings.toString()));
            assertTrue(console.err().contains("ser: " + embeddings + ": is in use by another ser job of this process"), console.err());
        }
        assertEquals(0, Main.run("embed", wav.toString(), "--weights", weights.toString(), "--out", embeddings.toString()));
    }
}
