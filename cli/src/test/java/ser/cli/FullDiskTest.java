package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.io.DiskFull;
import ser.io.Json;
import ser.io.Npy;
import ser.io.Safetensors;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk fills up at one write after another of {@code train}, {@code features}, {@code evaluate} and
 * {@code embed}: each stops with one line and exit 1 (or finishes, when the failing write is past its last),
 * leaves every file it wrote readable, and a rerun (or {@code --resume}) with room ends as an unbroken run.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void trainStopsCleanlyAtAnyWriteAndARerunOrResumeEndsAsAnUnbrokenRun() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 2);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        List<Path> writes;
        try (DiskFull counting = DiskFull.never()) {
            assertEquals(0, train(recipe, corpus, "unbroken"), console.err());
            writes = counting.targets();
        }
        Path unbroken = dir.resolve("unbroken");
        for (int n : faultPoints(writes)) {
            String name = "full-" + n;
            int code;
            console.resetErr();
            try (DiskFull full = DiskFull.afterWrites(n)) {
                code = train(recipe, corpus, name);
            }
            Path run = dir.resolve(name);
            String at = "disk full after " + n + " writes, at " + writes.get(n) + ": ";
            assertEquals(1, code, at + console.err());
            assertTrue(console.err().strip().endsWith(": cannot write: No space left on device")
                    || console.err().strip().endsWith(": cannot append: No space left on device"), at + console.err());
            assertAllReadable(run);
            assertAllReadable(dir.resolve("cache-" + name));

            console.resetErr();
            if (!Files.exists(run.resolve("config.yaml"))) {
                // Stopped before the run's start was complete: nothing to resume, and the error says what to do.
                assertEquals(1, Main.run("train", "--resume", run.toString()));
                assertTrue(console.err().contains(run + ": holds no run to resume (stopped before its config.yaml was "
                        + "written); start it again with 'ser train --config FILE --data DIR --out " + run + "'"), console.err());
            }
            int again = Files.exists(run.resolve("config.yaml")) ? Main.run("train", "--resume", run.toString())
                    : train(recipe, corpus, name);
            assertEquals(0, again, at + "the rerun: " + console.err());
            assertSameRun(unbroken, run, at);
        }
    }

    @Test
    void featuresStopCleanlyAtAnyWriteAndARerunCompletesTheCache() throws IOException {
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        List<Path> writes;
        try (DiskFull counting = DiskFull.never()) {
            assertEquals(0, features(corpus, "unbroken"), console.err());
            writes = counting.targets();
        }
        for (int n : new int[] {0, 1, 2, writes.size() / 2, writes.size() - 2, writes.size() - 1}) {
            String name = "full-" + n;
            try (DiskFull full = DiskFull.afterWrites(n)) {
                assertEquals(1, features(corpus, name), "disk full after " + n + " writes");
            }
            assertAllReadable(dir.resolve(name));
            assertEquals(0, features(corpus, name), console.err());
            assertEquals(Files.readString(dir.resolve("unbroken/index.csv")), Files.readString(dir.resolve(name + "/index.csv")));
            assertSameFiles(dir.resolve("unbroken"), dir.resolve(name), ".npy");
        }
    }

    @Test
    void evaluateStopsCleanlyAtAnyWriteAndARerunWritesTheSameScores() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        assertEquals(0, train(recipe, corpus, "run"), console.err());
        Path run = dir.resolve("run");
        List<Path> writes;
        try (DiskFull counting = DiskFull.never()) {
            assertEquals(0, evaluate(run, dir.resolve("eval-unbroken")), console.err());
            writes = counting.targets();
        }
        for (int n = 0; n < writes.size(); n++) {
            Path out = dir.resolve("eval-" + n);
            try (DiskFull full = DiskFull.afterWrites(n)) {
                assertEquals(1, evaluate(run, out), "at " + writes.get(n));
            }
            assertAllReadable(out);
            assertEquals(0, evaluate(run, out), console.err());
            assertEquals(Json.read(dir.resolve("eval-unbroken/metrics.json")), Json.read(out.resolve("metrics.json")));
            assertEquals(Files.readString(dir.resolve("eval-unbroken/predictions.csv")), Files.readString(out.resolve("predictions.csv")));
        }
    }

    @Test
    void embedStopsCleanlyAtAnyWriteAndARerunWritesTheSameArrays() throws Exception {
        Path weights = dir.resolve("small.safetensors");
        assertEquals(0, Main.run("convert", Path.of(getClass().getResource("/fixtures/hubert/small-base/hf").toURI()).toString(),
                "--out", weights.toString()), console.err());
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        List<Path> clips;
        try (Stream<Path> s = Files.list(corpus)) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(3).toList();
        }
        Path audio = Files.createDirectories(dir.resolve("audio"));
        for (Path c : clips) Files.copy(c, audio.resolve(c.getFileName()));
        assertEquals(0, embed(weights, audio, dir.resolve("emb-unbroken")), console.err());
        for (int n = 0; n < clips.size(); n++) {
            Path out = dir.resolve("emb-" + n);
            try (DiskFull full = DiskFull.afterWrites(n)) {
                assertEquals(1, embed(weights, audio, out));
            }
            assertAllReadable(out);
            assertEquals(0, embed(weights, audio, out), console.err());
            try (Stream<Path> s = Files.list(dir.resolve("emb-unbroken"))) {
                for (Path npy : s.filter(p -> p.toString().endsWith(".npy")).toList()) {
                    // Equal up to float reordering (see HubertCommandsTest): a pool may split a GEMM differently.
                    float[] want = Npy.read(npy).toArray(), got = Npy.read(out.resolve(npy.getFileName())).toArray();
                    assertEquals(want.length, got.length);
                    for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5 * (1 + Math.abs(want[i])));
                }
            }
        }
    }

    private int train(Path recipe, Path corpus, String name) {
        return Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", dir.resolve(name).toString(),
                "--cache", dir.resolve("cache-" + name).toString(), "--threads", "1");
    }

    /** With the run's own feature cache, so that only the evaluation's files are written. */
    private int evaluate(Path run, Path out) {
        return Main.run("evaluate", "--run", run.toString(), "--out", out.toString(), "--cache", dir.resolve("cache-run").toString());
    }

    private int features(Path corpus, String name) {
        return Main.run("features", "--data", corpus.toString(), "--out", dir.resolve(name).toString(), "--threads", "1");
    }

    private static int embed(Path weights, Path audio, Path out) {
        return Main.run("embed", audio.toString(), "--weights", weights.toString(), "--out", out.toString());
    }

    /** The first write to each kind of file (one feature file for all), and the last checkpoint's. */
    private static List<Integer> faultPoints(List<Path> writes) {
        Map<String, Integer> first = new LinkedHashMap<>();
        int lastCheckpoint = -1;
        for (int i = 0; i < writes.size(); i++) {
            String name = writes.get(i).getFileName().toString();
            first.putIfAbsent(name.endsWith(".npy") ? "*.npy" : name, i);
            if (name.equals("last.safetensors")) lastCheckpoint = i;
        }
        List<Integer> points = new ArrayList<>(first.values());
        if (!points.contains(lastCheckpoint)) points.add(lastCheckpoint);
        return points;
    }

    /** No temporaries left, and every file of ours parses. */
    private static void assertAllReadable(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                assertTrue(!name.endsWith(".tmp"), "left behind: " + f);
                if (name.endsWith(".json")) Json.read(f);
                if (name.endsWith(".jsonl")) Files.readAllLines(f).forEach(Json::parse);
                if (name.endsWith(".safetensors")) Safetensors.read(f);
                if (name.endsWith(".npy")) Npy.read(f);
            }
        }
    }

    /** The same weights, epochs and test scores (times aside). */
    private static void assertSameRun(Path expected, Path actual, String context) throws IOException {
        for (String ckpt : List.of("checkpoints/last.safetensors", "checkpoints/best.safetensors")) {
            Map<String, Tensor> want = Safetensors.read(expected.resolve(ckpt)).tensors(), got = Safetensors.read(actual.resolve(ckpt)).tensors();
            assertEquals(want.keySet(), got.keySet(), context + ckpt);
            for (String k : want.keySet()) assertArrayEquals(want.get(k).toArray(), got.get(k).toArray(), context + ckpt + " " + k);
        }
        assertEquals(withoutTimes(expected), withoutTimes(actual), context + "metrics.jsonl");
        assertEquals(Json.read(expected.resolve("test/metrics.json")), Json.read(actual.resolve("test/metrics.json")), context);
        assertEquals(Files.readString(expected.resolve("labels.json")), Files.readString(actual.resolve("labels.json")), context);
    }

    private static List<Object> withoutTimes(Path run) throws IOException {
        List<Object> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<?, ?> m = new TreeMap<>((Map<?, ?>) Json.parse(line));
            m.remove("seconds");
            epochs.add(m);
        }
        return epochs;
    }

    private static void assertSameFiles(Path expected, Path actual, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(expected)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) {
                assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(actual.resolve(expected.relativize(f))), f.toString());
            }
        }
    }
}
