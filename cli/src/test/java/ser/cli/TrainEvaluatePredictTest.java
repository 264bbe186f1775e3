package ser.cli;

import ser.testing.TinyRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import ser.Progress;
import ser.demo.Demo;
import ser.io.Json;
import ser.train.TrainingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train → evaluate → predict through {@link Main#run}, on a tiny synthetic corpus with a tiny recipe. */
class TrainEvaluatePredictTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void trainEvaluateAndPredictWriteWhatTheySay() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 2);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/a");
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()), console.err());
        for (String f : List.of("config.yaml", "model.yaml", "mel.yaml", "labels.json", "data.json", "metrics.jsonl",
                "train.log", "checkpoints/best.safetensors", "checkpoints/last.safetensors", "curves.png",
                "test/metrics.json", "test/confusion.png", "test/predictions.csv")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertEquals(Map.of("labels", List.of("NEU", "HAP", "SAD", "ANG")), Json.read(run.resolve("labels.json")));

        // A finished run resumes to no effect.
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertEquals(0, Main.run("train", "--resume", run.toString()), console.err());
        assertEquals(metrics, Files.readString(run.resolve("metrics.jsonl")));
        // And a second run into the same directory is refused, naming it.
        assertEquals(1, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()));
        assertTrue(console.err().contains(run + ": already holds a run; continue it with --resume " + run + ", or choose "
                + "another --out"), console.err());
        // Options that contradict each other are refused in their own names, before any work.
        console.resetErr();
        assertEquals(1, Main.run("train", "--resume", run.toString(), "--seed", "3"));
        assertTrue(console.err().contains("a resumed run keeps its own seed; leave out --seed"), console.err());
        console.resetErr();
        assertEquals(1, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--set", "epochs",
                "--out", dir.resolve("runs/b").toString()));
        assertTrue(console.err().contains("--set 'epochs': expected KEY=VALUE"), console.err());
        console.resetErr();
        assertEquals(1, Main.run("evaluate", "--run", run.toString(), "--split", "val"));
        assertTrue(console.err().contains("--split must be test or all, got 'val'"), console.err());
        console.resetErr();
        assertEquals(1, Main.run("evaluate", "--run", run.toString(), "--threads", "0"));
        assertTrue(console.err().contains("--threads must be at least 1, got 0"), console.err());

        assertEquals(0, Main.run("evaluate", "--run", run.toString()), console.err());
        Map<?, ?> m = (Map<?, ?>) Json.read(run.resolve("eval-test/metrics.json"));
        for (String key : List.of("accuracy", "uar", "macro_f1", "per_class", "confusion", "labels")) assertTrue(m.containsKey(key), key);
        Map<?, ?> atTraining = (Map<?, ?>) Json.read(run.resolve("test/metrics.json"));
        for (String key : List.of("accuracy", "uar", "macro_f1", "per_class", "confusion", "n")) {
            assertEquals(atTraining.get(key), m.get(key), "evaluate scores the test part as training did: " + key);
        }
        assertTrue(Files.isRegularFile(run.resolve("eval-test/curves.png")));

        // Another corpus, EmoDB names: boredom is not a label of the model, and is said to be dropped.
        Path emodb = Files.createDirectories(dir.resolve("emodb"));
        List<Path> clips;
        try (var s = Files.list(corpus)) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(3).toList();
        }
        Files.copy(clips.get(0), emodb.resolve("03a01Fa.wav"));
        Files.copy(clips.get(1), emodb.resolve("03a01Wa.wav"));
        Files.copy(clips.get(2), emodb.resolve("03a01La.wav"));
        console.resetErr();
        assertEquals(0, Main.run("evaluate", "--run", run.toString(), "--data", emodb.toString()), console.err());
        assertTrue(console.err().contains("dropped labels the model does not know: {BOR=1}"), console.err());
        Map<?, ?> cross = (Map<?, ?>) Json.read(run.resolve("eval-emodb-all/metrics.json"));
        assertEquals(Map.of("BOR", 1L), cross.get("dropped_labels"));
        assertEquals(List.of("NEU", "SAD"), cross.get("absent_labels"));

        // predict: one JSON line per file, bad files on stderr, exit 3 at the end (as features), the others still labelled.
        Path bad = Files.writeString(dir.resolve("bad.wav"), "not a wav");
        console.resetOut();
        console.resetErr();
        assertEquals(3, Main.run("predict", "--run", run.toString(), clips.get(0).toString(), bad.toString(), emodb.toString()));
        List<String> lines = console.out().lines().toList();
        assertEquals(4, lines.size(), console.out());
        for (String line : lines) {
            Map<?, ?> p = (Map<?, ?>) Json.parse(line);
            assertEquals(List.of("file", "label", "probabilities"), List.copyOf(p.keySet()));
            Map<?, ?> probabilities = (Map<?, ?>) p.get("probabilities");
            assertEquals(List.of("NEU", "HAP", "SAD", "ANG"), List.copyOf(probabilities.keySet()));
            double sum = probabilities.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            assertEquals(1.0, sum, 1e-5);
            assertTrue(probabilities.containsKey((String) p.get("label")));
        }
        assertTrue(lines.get(1).contains(emodb.resolve("03a01Fa.wav").toString()), "directories are walked in order");
        assertTrue(console.err().contains("ser: " + bad + ": "), console.err());
        assertTrue(console.err().contains("1 of 5 files could not be labelled"), console.err());

        console.resetOut();
        assertEquals(0, Main.run("predict", "--run", run.toString(), "--window", "0.2", "--hop", "0.1", clips.get(0).toString()));
        List<String> segments = console.out().lines().toList();
        assertEquals(3, segments.size(), "0.3 s in windows of 0.2 s every 0.1 s: starts 0, 0.1, 0.2");
        Map<?, ?> second = (Map<?, ?>) Json.parse(segments.get(1));
        assertEquals(List.of("file", "start", "end", "label", "probabilities"), List.copyOf(second.keySet()));
        assertEquals(0.1, ((Number) second.get("start")).doubleValue(), 1e-9);
        assertEquals(0.3, ((Number) second.get("end")).doubleValue(), 1e-9);

        // A file longer than the clip: one line that says only its start was labelled, and a notice on stderr.
        float[] noise = new float[16000 * 8];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < noise.length; i++) noise[i] = (float) random.nextGaussian() * 0.1f;
        Path longFile = dir.resolve("long.wav");
        ser.audio.WavWriter.writePcm16(longFile, noise, 16000);
        console.resetOut();
        console.resetErr();
        assertEquals(0, Main.run("predict", "--run", run.toString(), longFile.toString()), console.err());
        Map<?, ?> partial = (Map<?, ?>) Json.parse(console.out().strip());
        assertEquals(List.of("file", "labelled_seconds", "file_seconds", "label", "probabilities"), List.copyOf(partial.keySet()));
        assertEquals(0.3, ((Number) partial.get("labelled_seconds")).doubleValue(), 1e-9);
        assertEquals(8.0, ((Number) partial.get("file_seconds")).doubleValue(), 1e-9);
        assertEquals("ser: " + longFile + ": 8.0 s long, only its first 0.3 s are labelled; give --window 0.3 to label all of it\n",
                console.err().replace("\r\n", "\n"));
        // Only the first clip and the header are read: the lines are byte for byte those of the file decoded whole
        // (a long file, a short one, a 44.1 kHz stereo one resampled), and the notices the same.
        Path shortFile = dir.resolve("short.wav");
        ser.audio.WavWriter.writePcm16(shortFile, java.util.Arrays.copyOf(noise, 2000), 16000);
        Path stereoFile = dir.resolve("long-44k-stereo.wav");
        float[] at44k = ser.audio.Resampler.resample(noise, 16000, 44100);
        java.nio.ByteBuffer stereo = java.nio.ByteBuffer.allocate(44 + at44k.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        stereo.put("RIFF".getBytes()).putInt(36 + at44k.length * 4).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(44100)
                .putInt(44100 * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes()).putInt(at44k.length * 4);
        for (float v : at44k) {
            float c = Math.clamp(v, -1f, 1f);
            stereo.putShort((short) Math.round(c * 32767)).putShort((short) Math.round(-0.5f * c * 32767));
        }
        Files.write(stereoFile, stereo.array());
        ser.api.EmotionRecognizer recognizer = ser.api.EmotionRecognizer.open(run);
        StringBuilder expectedOut = new StringBuilder();
        for (Path f : List.of(longFile, shortFile, stereoFile)) {
            ser.api.Prediction p = recognizer.classify(ser.audio.AudioLoader.loadMono(f, 16000), 16000).withFile(f);
            expectedOut.append(Json.write(p.toJson())).append(System.lineSeparator());
        }
        console.resetOut();
        console.resetErr();
        assertEquals(0, Main.run("predict", "--run", run.toString(), longFile.toString(), shortFile.toString(),
                stereoFile.toString()), console.err());
        assertEquals(expectedOut.toString(), console.out());
        assertEquals("ser: " + longFile + ": 8.0 s long, only its first 0.3 s are labelled; give --window 0.3 to label all of it\n"
                + "ser: " + stereoFile + ": 8.0 s long, only its first 0.3 s are labelled; give --window 0.3 to label all of it\n",
                console.err().replace("\r\n", "\n"));
        // Windows are bounded: a hop of one sample on 8 s would be 128000 of them.
        console.resetErr();
        assertEquals(3, Main.run("predict", "--run", run.toString(), "--window", "0.2", "--hop", "0.0000625", longFile.toString()),
                "the file is skipped and listed: exit status 3");
        assertTrue(console.err().contains(longFile + ": 8.0 s cut every 6.25E-5 s makes 128000 windows, more than 100000; "
                + "use a longer hop"), console.err());
        console.resetErr();
        assertEquals(1, Main.run("predict", "--run", run.toString(), "--window", "0.2", "--hop", "0.00001", longFile.toString()));
        assertTrue(console.err().contains("ser: --window 0.2 --hop 1.0E-5: hop must be at least one sample (1/16000 s), got 1.0E-5"), console.err());
        console.resetOut();
        assertEquals(0, Main.run("predict", "--run", run.toString(), "--window", "0.1", longFile.toString()));
        assertEquals(80, console.out().lines().count(), "8 s in windows of 0.1 s: 80 lines, labelled in batches of 64");

        // A corpus that changed under a run is not resumed on: the split would not be the run's.
        Files.copy(clips.get(0), corpus.resolve("1009_SYN00_NEU_XX.wav"));
        console.resetErr();
        assertEquals(1, Main.run("train", "--resume", run.toString()));
        assertTrue(console.err().contains("no longer gives the train files recorded in"), console.err());

        // A truncated best checkpoint is named once, not twice.
        Path best = run.resolve("checkpoints/best.safetensors");
        byte[] whole = Files.readAllBytes(best);
        Files.write(best, java.util.Arrays.copyOf(whole, whole.length - 10));
        console.resetErr();
        assertEquals(1, Main.run("predict", "--run", run.toString(), clips.get(0).toString()));
        assertTrue(console.err().startsWith("ser: " + best + ": tensor "), console.err());
        assertEquals(console.err().indexOf(best.toString()), console.err().lastIndexOf(best.toString()), console.err());
    }

    @Test
    void kFoldTrainsOneRunPerFoldAndSummarises() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: kfold, folds: 2, val_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        Path run = dir.resolve("runs/k");
        assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()), console.err());
        for (String fold : List.of("fold-1", "fold-2")) assertTrue(Files.isRegularFile(run.resolve(fold + "/test/metrics.json")), fold);
        Map<?, ?> summary = (Map<?, ?>) Json.read(run.resolve("summary.json"));
        assertEquals(2L, summary.get("folds"));
        Map<?, ?> uar = (Map<?, ?>) summary.get("uar");
        List<?> perFold = (List<?>) uar.get("per_fold");
        double a = ((Number) perFold.get(0)).doubleValue(), b = ((Number) perFold.get(1)).doubleValue();
        assertEquals((a + b) / 2, ((Number) uar.get("mean")).doubleValue(), 1e-12);
        assertEquals(Math.abs(a - b) / Math.sqrt(2), ((Number) uar.get("std")).doubleValue(), 1e-12);
    }

    @Test
    void configErrorsAreOneLine() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1, folds: 3}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        assertEquals(1, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", dir.resolve("r").toString()));
        assertEquals("ser: " + recipe + ": unknown key 'split.folds' (known here: kind, seed, val_speakers, test_speakers, per_corpus)",
                console.err().strip());
        assertTrue(Files.notExists(dir.resolve("r")), "nothing is written for a bad recipe");
    }

    @Test
    void demoRunsTheWholeJobOnSyntheticSpeech() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Demo.Result r = Demo.run(new Demo.Plan(recipe, 4, 2, 0.3), null, dir.resolve("demo"), 2, System.err,
                Progress.Factory.NONE, TrainingListener.SILENT);
        assertTrue(Files.isRegularFile(r.corpus().resolve("README.txt")), "the corpus says it is synthetic");
        for (Path p : List.of(r.metrics(), r.confusion(), r.curves())) assertTrue(Files.isRegularFile(p), p.toString());
        assertTrue(r.example().file().startsWith(r.corpus()));
        Demo.Result again = Demo.run(new Demo.Plan(recipe, 4, 2, 0.3), null, dir.resolve("demo"), 2, System.err,
                Progress.Factory.NONE, TrainingListener.SILENT);
        assertEquals(dir.resolve("demo/run-2"), again.run(), "a second demo keeps the first run");
    }

}
