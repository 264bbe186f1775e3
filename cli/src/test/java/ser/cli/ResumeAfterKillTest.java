package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.io.Safetensors;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real kill: {@code ser train} in its own JVM, killed (SIGKILL, no shutdown hooks) as soon as its first
 * checkpoint is on disk, wherever it happens to be then; {@code ser train --resume} then ends with the weights of
 * an unbroken run, bit for bit.
 */
class ResumeAfterKillTest {

    @TempDir
    Path dir;

    @Test
    void aRunKilledAtAnArbitraryMomentResumesToTheUnbrokenResult() throws Exception {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 40);
        Files.writeString(recipe, Files.readString(recipe).replace("lr: 0.01}", "lr: 0.01, checkpoint_every: 1}"));
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));

        Path killed = dir.resolve("killed");
        Process child = new ProcessBuilder(javaCommand("train", "--config", recipe.toString(), "--data", corpus.toString(),
                "--out", killed.toString())).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path last = killed.resolve("checkpoints/last.safetensors");
        while (child.isAlive() && !Files.exists(last)) Thread.sleep(5);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        int epochsAtKill = Files.exists(killed.resolve("metrics.jsonl")) ? Files.readAllLines(killed.resolve("metrics.jsonl")).size() : 0;
        assumeTrue(epochsAtKill < 40, "the child finished before the kill landed; nothing to resume");

        java.io.PrintStream saved = System.out, savedErr = System.err;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertEquals(0, Main.run("train", "--resume", killed.toString()));
            assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out",
                    dir.resolve("unbroken").toString()));
        } finally {
            System.setOut(saved);
            System.setErr(savedErr);
        }
        Map<String, Tensor> resumed = Safetensors.read(last).tensors();
        Map<String, Tensor> unbroken = Safetensors.read(dir.resolve("unbroken/checkpoints/last.safetensors")).tensors();
        assertEquals(unbroken.keySet(), resumed.keySet());
        for (String k : unbroken.keySet()) assertArrayEquals(unbroken.get(k).toArray(), resumed.get(k).toArray(), k);
        assertEquals(Files.readAllLines(dir.resolve("unbroken/metrics.jsonl")).size(),
                Files.readAllLines(killed.resolve("metrics.jsonl")).size());
    }

    /** This JVM's java, flags and class path, running ser.cli.Main with {@code args}. */
    private static List<String> javaCommand(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
