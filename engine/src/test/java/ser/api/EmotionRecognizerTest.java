package ser.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.Progress;
import ser.SerException;
import ser.audio.AudioLoader;
import ser.job.TrainJob;
import ser.testing.TinyRecipe;
import ser.train.TrainingListener;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** The front door on a run trained here, on the tiny synthetic corpus. */
class EmotionRecognizerTest {

    @TempDir
    static Path dir;
    static Path run;
    static List<Path> clips;

    @BeforeAll
    static void train() throws Exception {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 2);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        run = dir.resolve("run");
        new TrainJob(recipe, corpus, run, false, null, 1)
                .run(new PrintStream(OutputStream.nullOutputStream()), Progress.Factory.NONE, TrainingListener.SILENT);
        try (var s = Files.list(corpus)) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(8).toList();
        }
    }

    @Test
    void aFileAndItsSamplesGetTheSameLabelAndProbabilities() {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        assertEquals(List.of("NEU", "HAP", "SAD", "ANG"), r.labels());
        assertEquals(16000, r.sampleRate());
        assertEquals(0.3, r.clipSeconds(), 1e-12);
        Prediction fromFile = r.classify(clips.getFirst());
        Prediction fromSamples = r.classify(AudioLoader.loadMono(clips.getFirst(), 16000), 16000);
        assertEquals(fromFile.label(), fromSamples.label());
        assertEquals(fromFile.probabilities(), fromSamples.probabilities());
        assertEquals(r.labels(), List.copyOf(fromFile.probabilities().keySet()));
        assertEquals(1, fromFile.probabilities().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-5);
        assertEquals(fromFile.probabilities().entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey(),
                fromFile.label());
        assertFalse(fromFile.partial());
        assertNull(fromSamples.file());
        assertFalse(fromSamples.toJson().containsKey("file"));
    }

    @Test
    void samplesAtAnotherRateAreResampledFirst() {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        float[] at8k = AudioLoader.loadMono(clips.get(1), 8000);
        Prediction p = r.classify(at8k, 8000);
        Prediction same = r.classify(ser.audio.Resampler.resample(at8k, 8000, 16000), 16000);
        assertEquals(same.probabilities(), p.probabilities());
        assertThrows(SerException.class, () -> r.classify(at8k, 0));
    }

    @Test
    void windowsCoverALongRecordingAndBadWindowsAreRefused() {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        float[] one = AudioLoader.loadMono(clips.get(2), 16000);
        Prediction partial = r.classify(concat(one, one, one), 16000);
        assertTrue(partial.partial(), "0.9 s labelled by its first 0.3 s says so");
        assertEquals(0.9, partial.fileSeconds(), 1e-3);
        List<Prediction> windows = r.classifyWindows(clips.get(2), 0.2, 0.1);
        assertEquals(3, windows.size(), "0.3 s in windows of 0.2 s every 0.1 s: starts 0, 0.1, 0.2");
        assertEquals(0.1, windows.get(1).start(), 1e-9);
        SerException tooLong = assertThrows(SerException.class, () -> r.classifyWindows(clips.get(2), 0.5, 0.1));
        assertEquals("window must be in (0, 0.3] s, the model's clip length; got 0.5", tooLong.getMessage());
    }

    /** The whole-file windowing as it was before streaming: the file decoded whole, windows cut from the array. */
    private static List<Prediction> wholeFileWindows(Path audio, double window, double hop) {
        ser.run.TrainedModel model = ser.run.TrainedModel.load(run);
        int rate = model.sampleRate();
        float[] samples = AudioLoader.loadMono(audio, rate);
        int windowSamples = (int) Math.round(window * rate);
        List<Prediction> out = new ArrayList<>();
        List<float[]> windows = new ArrayList<>();
        List<double[]> times = new ArrayList<>();
        for (long k = 0; ; k++) {
            int start = (int) Math.round(k * hop * rate);
            boolean done = k > 0 && start >= samples.length;
            if (!done) {
                int end = Math.min(start + windowSamples, samples.length);
                windows.add(AudioLoader.padOrTrim(java.util.Arrays.copyOfRange(samples, start, Math.max(start, end)), windowSamples));
                times.add(new double[] {(double) start / rate, (double) Math.max(start, end) / rate});
            }
            if (windows.size() == 64 || done && !windows.isEmpty()) {
                float[][] logits = model.logits(model.inputs(windows));
                for (int i = 0; i < logits.length; i++) {
                    double[] p = ser.model.Inference.probabilities(logits[i]);
                    java.util.Map<String, Double> probabilities = new java.util.LinkedHashMap<>();
                    for (int c = 0; c < p.length; c++) probabilities.put(model.labels().get(c), Prediction.round(p[c], 6));
                    out.add(new Prediction(audio, times.get(i)[0], times.get(i)[1],
                            model.labels().get(ser.model.Inference.argmax(logits[i])), probabilities, Double.NaN));
                }
                windows.clear();
                times.clear();
            }
            if (done) return out;
        }
    }

    @Test
    void streamedWindowsAreTheWholeFilesIncludingTheEndsResamplingAndShortFiles() throws Exception {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        // About 9 s of the corpus's clips end to end: several batches of 64 windows and a ragged end.
        float[] one = AudioLoader.loadMono(clips.get(0), 16000), two = AudioLoader.loadMono(clips.get(3), 16000);
        float[] longClip = new float[0];
        while (longClip.length < 9 * 16000 + 123) longClip = concat(longClip, one, two);
        List<Path> files = new ArrayList<>();
        for (int rate : new int[] {16000, 22050, 8000}) {
            Path wav = dir.resolve("long-" + rate + ".wav");
            ser.audio.WavWriter.writePcm16(wav, rate == 16000 ? longClip : ser.audio.Resampler.resample(longClip, 16000, rate), rate);
            files.add(wav);
        }
        Path shortWav = dir.resolve("short.wav");
        ser.audio.WavWriter.writePcm16(shortWav, java.util.Arrays.copyOf(one, 1000), 44100);
        files.add(shortWav);
        Path oneSample = dir.resolve("one-sample.wav");
        ser.audio.WavWriter.writePcm16(oneSample, new float[] {0.5f}, 16000);
        files.add(oneSample);
        // Overlapping windows (read as one span a batch), windows = hop, far-apart windows (read one by one),
        // a hop that is not a whole number of samples.
        double[][] settings = {{0.3, 0.1}, {0.2, 0.2}, {0.1, 0.35}, {0.25, 0.0731}};
        for (Path f : files) {
            for (double[] wh : settings) {
                List<Prediction> expected = wholeFileWindows(f, wh[0], wh[1]);
                List<Prediction> streamed = new ArrayList<>();
                long n = r.classifyWindows(f, wh[0], wh[1], streamed::add);
                assertEquals(expected.size(), n);
                assertEquals(expected, streamed, f.getFileName() + " window " + wh[0] + " hop " + wh[1]);
                assertEquals(expected, r.classifyWindows(f, wh[0], wh[1]));
            }
        }
        assertTrue(wholeFileWindows(files.getFirst(), 0.3, 0.1).size() > 64, "more than one batch");
        // A corpus clip as it is.
        assertEquals(wholeFileWindows(clips.get(2), 0.2, 0.1), r.classifyWindows(clips.get(2), 0.2, 0.1));
    }

    /** A file labelled as before this reads only its first clip: the file decoded whole, then its samples labelled. */
    private static Prediction wholeFile(EmotionRecognizer r, Path audio) {
        return r.classify(AudioLoader.loadMono(audio, r.sampleRate()), r.sampleRate()).withFile(audio);
    }

    @Test
    void aFileIsLabelledByItsFirstClipReadingOnlyThatAndItsHeader() throws Exception {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        float[] one = AudioLoader.loadMono(clips.get(0), 16000), two = AudioLoader.loadMono(clips.get(3), 16000);
        float[] longClip = new float[0];
        while (longClip.length < 20 * 16000 + 7) longClip = concat(longClip, one, two);
        List<Path> files = new ArrayList<>();
        Path long16 = dir.resolve("first-long.wav");
        ser.audio.WavWriter.writePcm16(long16, longClip, 16000);
        files.add(long16);
        Path shortWav = dir.resolve("first-short.wav");  // shorter than the clip: padded
        ser.audio.WavWriter.writePcm16(shortWav, java.util.Arrays.copyOf(one, 1234), 16000);
        files.add(shortWav);
        Path exact = dir.resolve("first-exact.wav");  // exactly one clip: not partial
        ser.audio.WavWriter.writePcm16(exact, java.util.Arrays.copyOf(longClip, 4800), 16000);
        files.add(exact);
        files.add(stereo(dir.resolve("first-44k-stereo.wav"), ser.audio.Resampler.resample(longClip, 16000, 44100), 44100));
        files.add(stereo(dir.resolve("first-44k-short.wav"), java.util.Arrays.copyOf(ser.audio.Resampler.resample(one, 16000, 44100), 5000), 44100));
        Path f32 = dir.resolve("first-22k.wav");
        ser.audio.WavWriter.writeFloat32(f32, ser.audio.Resampler.resample(longClip, 16000, 22050), 22050);
        files.add(f32);
        for (Path f : files) {
            Prediction expected = wholeFile(r, f), p = r.classify(f);
            assertEquals(expected, p, f.getFileName().toString());
            assertEquals(ser.io.Json.write(expected.toJson()), ser.io.Json.write(p.toJson()), f.getFileName().toString());
        }
        assertTrue(r.classify(long16).partial());
        assertEquals((double) longClip.length / 16000, r.classify(long16).fileSeconds(), 1e-12);
        assertFalse(r.classify(shortWav).partial());
        assertFalse(r.classify(exact).partial());

        // Only the first clip is read: a bad sample after it is not seen (the whole-file loader refuses the file)...
        float[] nan = java.util.Arrays.copyOf(longClip, 16000);
        nan[10_000] = Float.NaN;
        Path late = dir.resolve("first-nan-late.wav");
        ser.audio.WavWriter.writeFloat32(late, nan, 16000);
        assertThrows(SerException.class, () -> AudioLoader.loadMono(late, 16000));
        assertTrue(r.classify(late).partial());
        // ... one inside it is, named as the whole-file loader names it.
        nan[100] = Float.NaN;
        Path early = dir.resolve("first-nan-early.wav");
        ser.audio.WavWriter.writeFloat32(early, nan, 16000);
        assertEquals(assertThrows(SerException.class, () -> AudioLoader.loadMono(early, 16000)).getMessage(),
                assertThrows(SerException.class, () -> r.classify(early)).getMessage());

        // ... and the length comes from the header: a sparse 1 GiB file (9.3 hours), more than this heap decodes.
        Path huge = dir.resolve("first-huge.wav");
        Files.write(huge, java.util.Arrays.copyOf(Files.readAllBytes(long16), 44 + 2 * 4800));
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            raf.seek(40);
            raf.write(new byte[4]);  // data size 0: a streaming writer's, the data runs to the end of the file
            raf.setLength(44 + (1L << 30));
        }
        Prediction hugeP = r.classify(huge);
        assertEquals((double) (1L << 29) / 16000, hugeP.fileSeconds(), 1e-9);
        assertEquals(r.classify(exact).probabilities(), hugeP.probabilities(), "the same first clip");
    }

    /** {@code x} in both channels of a 16-bit stereo WAV, the right one at half the level. */
    private static Path stereo(Path file, float[] x, int rate) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + x.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + x.length * 4).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(rate)
                .putInt(rate * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes()).putInt(x.length * 4);
        for (float v : x) {
            b.putShort((short) Math.round(Math.clamp(v, -1f, 1f) * 32767)).putShort((short) Math.round(Math.clamp(v, -1f, 1f) * 16383));
        }
        return Files.write(file, b.array());
    }

    @Test
    void threadsMayShareOneRecognizer() throws Exception {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        List<Prediction> alone = clips.stream().map(r::classify).toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Prediction>> together = new ArrayList<>();
            for (int round = 0; round < 8; round++) for (Path clip : clips) together.add(pool.submit(() -> r.classify(clip)));
            for (int i = 0; i < together.size(); i++) assertEquals(alone.get(i % clips.size()), together.get(i).get());
        }
    }

    @Test
    void manyClipsInOneBatchAreEachLabelledAsAlone() {
        EmotionRecognizer r = EmotionRecognizer.open(run);
        List<float[]> samples = new ArrayList<>();
        for (Path clip : clips) samples.add(AudioLoader.loadMono(clip, 16000));
        float[] one = samples.getFirst();
        samples.add(concat(one, one, one));            // a long clip: labelled by its first 0.3 s, and says so
        samples.add(java.util.Arrays.copyOf(one, 1000)); // a short one, padded
        samples.addAll(samples.subList(0, 5));          // more than the recipe's batch size of 8, in one call
        List<Prediction> batched = r.classify(samples, 16000);
        assertEquals(samples.size(), batched.size());
        for (int i = 0; i < samples.size(); i++) assertEquals(r.classify(samples.get(i), 16000), batched.get(i), "clip " + i);
        assertTrue(batched.get(clips.size()).partial());
        assertEquals(List.of(), r.classify(List.of(), 16000));
        assertThrows(SerException.class, () -> r.classify(samples, 0));
        Prediction named = batched.getFirst().withFile(clips.getFirst());
        assertEquals(r.classify(clips.getFirst()), named);
    }

    @Test
    void unreadableAudioNamesTheFile() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.wav"), "not a wav");
        SerException e = assertThrows(SerException.class, () -> EmotionRecognizer.open(run).classify(bad));
        assertTrue(e.getMessage().startsWith(bad + ": "), e.getMessage());
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
