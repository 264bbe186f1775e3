package ser.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.io.DiskFull;
import ser.io.Npy;
import ser.io.OutputException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The cache with a fake extractor: the real one (WAV decoding, log-Mel) is tested where it lives. */
class FeatureCacheTest {

    @TempDir
    Path tmp;
    Path data, out;
    Corpus corpus;
    final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void tree() throws IOException {
        data = tmp.resolve("data");
        out = tmp.resolve("features");
        CorporaTest.touch(data, "Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-05-02-01-01-01.wav",
                "Actor_02/03-01-03-01-02-02-02.wav", "Actor_02/03-01-04-01-01-01-02.wav", "Actor_02/03-01-08-01-01-01-02.wav");
        corpus = Corpora.open(data);
    }

    /** Features that depend on the file: [2, 1 + emotion code] filled with the emotion code. */
    private Tensor fake(Path wav) {
        calls.incrementAndGet();
        int emotion = Integer.parseInt(wav.getFileName().toString().substring(6, 8));
        Tensor t = Tensor.zeros(2, 1 + emotion);
        for (int i = 0; i < t.size(); i++) t.setFlat(i, emotion);
        return t;
    }

    private FeatureCache cache(String config, Function<Path, Tensor> extractor) {
        return new FeatureCache(out, config, extractor, 2);
    }

    @Test
    void extractsEveryUtteranceOnceMirroringTheTree() throws IOException {
        AtomicInteger ticks = new AtomicInteger();
        List<Utterance> seed4 = LabelSet.seed4().keep(corpus.utterances());
        FeatureCache.Result r = cache("cfg A", this::fake).build(corpus, seed4, ticks::incrementAndGet);

        assertEquals(4, r.entries().size(), "surprised (08) is not in seed4");
        assertEquals(4, r.computed());
        assertEquals(0, r.reused());
        assertEquals(4, ticks.get());
        assertTrue(r.failures().isEmpty());
        Tensor angry = Npy.read(out.resolve("Actor_01/03-01-05-02-01-01-01.npy"));
        assertArrayEquals(new int[] {2, 6}, angry.shape());
        assertEquals(5f, angry.get(1, 5));
        assertFalse(Files.exists(out.resolve("Actor_02/03-01-08-01-01-01-02.npy")));

        assertEquals("""
                path,label,speaker,gender,sentence,intensity,npy,shape,audio_bytes,audio_modified
                Actor_01/03-01-01-01-01-01-01.wav,NEU,01,male,01,normal,Actor_01/03-01-01-01-01-01-01.npy,2x2,0,%s
                Actor_01/03-01-05-02-01-01-01.wav,ANG,01,male,01,strong,Actor_01/03-01-05-02-01-01-01.npy,2x6,0,%s
                Actor_02/03-01-03-01-02-02-02.wav,HAP,02,female,02,normal,Actor_02/03-01-03-01-02-02-02.npy,2x4,0,%s
                Actor_02/03-01-04-01-01-01-02.wav,SAD,02,female,01,normal,Actor_02/03-01-04-01-01-01-02.npy,2x5,0,%s
                """.formatted(modified("Actor_01/03-01-01-01-01-01-01.wav"), modified("Actor_01/03-01-05-02-01-01-01.wav"),
                modified("Actor_02/03-01-03-01-02-02-02.wav"), modified("Actor_02/03-01-04-01-01-01-02.wav")),
                Files.readString(out.resolve(FeatureIndex.CSV)));
        String json = Files.readString(out.resolve(FeatureIndex.JSON));
        assertTrue(json.contains("\"corpus\": \"RAVDESS\""), json);
        assertTrue(json.contains("{\"path\": \"Actor_01/03-01-05-02-01-01-01.wav\", \"label\": \"ANG\", \"speaker\": \"01\", "
                + "\"gender\": \"male\", \"npy\": \"Actor_01/03-01-05-02-01-01-01.npy\", \"shape\": [2, 6]}"), json);
        assertTrue(Files.readString(out.resolve(FeatureCache.STAMP)).contains("\"config\": \"cfg A\""));
        assertNoTemporaries();

        List<FeatureIndex.Entry> back = FeatureIndex.read(out, data);
        assertEquals(r.entries().stream().map(FeatureIndex.Entry::utterance).toList(),
                back.stream().map(FeatureIndex.Entry::utterance).toList());
        assertEquals(r.entries().stream().map(FeatureIndex.Entry::npy).toList(),
                back.stream().map(FeatureIndex.Entry::npy).toList());
        assertArrayEquals(new int[] {2, 6}, back.get(1).shape());
    }

    @Test
    void reRunsComputeOnlyWhatIsMissing() throws IOException {
        cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {});
        assertEquals(5, calls.get());
        Files.delete(out.resolve("Actor_02/03-01-04-01-01-01-02.npy"));

        FeatureCache.Result again = cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {});
        assertEquals(6, calls.get(), "only the deleted file was extracted again");
        assertEquals(1, again.computed());
        assertEquals(4, again.reused());
        assertEquals(5, again.entries().size());
    }

    @Test
    void aChangedAudioFileIsExtractedAgain() throws IOException {
        Function<Path, Tensor> content = wav -> {
            calls.incrementAndGet();
            try {
                return Tensor.wrap(new float[] {Files.readString(wav).hashCode()}, 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Path wav = data.resolve("Actor_01/03-01-01-01-01-01-01.wav"), npy = out.resolve("Actor_01/03-01-01-01-01-01-01.npy");
        Files.writeString(wav, "first take");
        cache("cfg A", content).build(corpus, corpus.utterances(), () -> {});
        assertEquals("first take".hashCode(), Npy.read(npy).toArray()[0]);

        Files.writeString(wav, "retake #2!"); // the same length: only the time tells
        FeatureCache.Result r = cache("cfg A", content).build(corpus, corpus.utterances(), () -> {});
        assertEquals(1, r.computed(), "only the changed file");
        assertEquals("retake #2!".hashCode(), Npy.read(npy).toArray()[0]);

        // Replaced by a file with an older time (cp -p, rsync -t): newer features, but not this file's.
        Files.writeString(wav, "old archive copy");
        Files.setLastModifiedTime(wav, FileTime.fromMillis(946_684_800_000L));
        r = cache("cfg A", content).build(corpus, corpus.utterances(), () -> {});
        assertEquals(1, r.computed());
        assertEquals("old archive copy".hashCode(), Npy.read(npy).toArray()[0]);
        assertEquals(5 + 1 + 1, calls.get());
    }

    @Test
    void aSharedCacheWaitsForTheJobBuildingItAndReusesItsWorkWhereAnOwnDirectoryRefuses() throws Exception {
        java.util.concurrent.atomic.AtomicReference<FeatureCache.Result> first = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other;
        try (ser.io.DirectoryLock held = ser.io.DirectoryLock.take(out)) {
            assertThrows(SerException.class, () -> cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {}),
                    "a feature directory of one's own (ser features --out) is refused while in use");
            other = new Thread(() -> first.set(cache("cfg A", this::fake).sharedBetweenRuns()
                    .build(corpus, corpus.utterances(), () -> {})));
            other.start();
            Thread.sleep(800);
            assertNull(first.get(), "the shared build waits while the directory is held");
        }
        other.join(30_000);
        assertEquals(5, first.get().entries().size());
        FeatureCache.Result second = cache("cfg A", this::fake).sharedBetweenRuns().build(corpus, corpus.utterances(), () -> {});
        assertEquals(5, second.reused(), "the run after reuses what the first computed");
    }

    @Test
    void aChangedConfigIsRefusedNotMixed() {
        cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {});
        SerException e = assertThrows(SerException.class,
                () -> cache("cfg B", this::fake).build(corpus, corpus.utterances(), () -> {}));
        assertTrue(e.getMessage().startsWith(out + ": holds features of another config"), e.getMessage());
        assertEquals(5, calls.get());
    }

    @Test
    void badFilesAreSkippedAndReportedWithOneLineReasons() throws IOException {
        Function<Path, Tensor> picky = wav -> {
            if (wav.getFileName().toString().startsWith("03-01-03")) throw SerException.inFile(wav, "truncated data chunk");
            return fake(wav);
        };
        FeatureCache.Result r = cache("cfg A", picky).build(corpus, corpus.utterances(), () -> {});
        assertEquals(4, r.entries().size());
        assertEquals(List.of(new FeatureCache.Failure(data.resolve("Actor_02/03-01-03-01-02-02-02.wav"), "truncated data chunk")),
                r.failures());
        assertFalse(Files.readString(out.resolve(FeatureIndex.CSV)).contains("03-01-03"));
        assertNoTemporaries();
    }

    @Test
    void aFeatureFileThatCannotBeWrittenStopsTheBuildInsteadOfCountingAsABadInput() {
        // Disk full from the third feature file on: every later file would fail too, and going on would pass a
        // cache with holes for a corpus with bad files.
        try (DiskFull full = DiskFull.onWritesTo(p -> p.toString().endsWith("03-01-04-01-01-01-02.npy"))) {
            OutputException e = assertThrows(OutputException.class,
                    () -> cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {}));
            assertEquals(out.resolve("Actor_02/03-01-04-01-01-01-02.npy") + ": cannot write: No space left on device",
                    e.getMessage());
        }
        assertFalse(Files.exists(out.resolve(FeatureIndex.CSV)), "no index that would pass for a complete one");
        FeatureCache.Result again = cache("cfg A", this::fake).build(corpus, corpus.utterances(), () -> {});
        assertEquals(5, again.entries().size(), "a rerun with room completes the cache");
        assertTrue(again.failures().isEmpty());
    }

    @Test
    void bugsInTheExtractorStopTheRun() {
        Function<Path, Tensor> broken = wav -> { throw new IllegalStateException("bug"); };
        assertThrows(IllegalStateException.class, () -> cache("cfg A", broken).build(corpus, corpus.utterances(), () -> {}));
    }

    @Test
    void featurePathsNeverLeaveTheFeatureDirectory() {
        FeatureCache c = cache("cfg", this::fake);
        assertEquals(out.resolve("a/b.npy"), c.npyPathFor(data, data.resolve("a/b.wav")));
        assertEquals(out.resolve("__/elsewhere/c.npy"), c.npyPathFor(data, data.resolve("../elsewhere/c.WAV")));
    }

    @Test
    void theConfigHashIsStable() {
        assertEquals("098edc27a97c3708", FeatureCache.hash("cfg A"), "first 8 bytes of SHA-256, as sha256sum prints it");
        assertNotEquals(FeatureCache.hash("cfg A"), FeatureCache.hash("cfg B"));
    }

    private String modified(String audio) throws IOException {
        return Files.getLastModifiedTime(data.resolve(audio)).toInstant().toString();
    }

    private void assertNoTemporaries() throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }
}
