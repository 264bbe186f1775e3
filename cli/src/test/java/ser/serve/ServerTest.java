package ser.serve;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.api.EmotionRecognizer;
import ser.api.Prediction;
import ser.audio.AudioLoader;
import ser.audio.WavWriter;
import ser.cli.Main;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.io.Json;
import ser.testing.TinyRecipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Server} in process on port 0, over a tiny trained run, against the library calls it wraps. */
class ServerTest {

    @TempDir
    static Path dir;

    static Path run;
    static List<Path> clips;
    static EmotionRecognizer recognizer;

    @BeforeAll
    static void trainTinyRun() throws IOException {
        Path recipe = TinyRecipe.write(dir.resolve("recipe"), "{kind: speakers, val_speakers: 1, test_speakers: 1}", 1);
        Path corpus = TinyRecipe.corpus(dir.resolve("corpus"));
        run = dir.resolve("run");
        PrintStream out = System.out, err = System.err;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(java.io.OutputStream.nullOutputStream()));
            assertEquals(0, Main.run("train", "--config", recipe.toString(), "--data", corpus.toString(), "--out", run.toString()));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        try (var s = Files.list(corpus)) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().limit(12).toList();
        }
        recognizer = EmotionRecognizer.open(run);
    }

    private static Server start(Server.Options o) {
        return Server.start(recognizer, null, o);
    }

    private static Server.Options options() {
        return Server.Options.defaults(0);
    }

    private static String url(Server s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    private static Http.Response post(Server s, String path, byte[] body) throws IOException {
        return Http.post(url(s, path), body);
    }

    private static Http.Response get(Server s, String path) throws IOException {
        return Http.get(url(s, path));
    }

    static final String BOUNDARY = "ser-test-boundary-7f3a";

    private static Http.Response multipart(Server s, String path, List<String> names, List<byte[]> files) throws IOException {
        return Http.post(url(s, path), "multipart/form-data; boundary=" + BOUNDARY, Http.multipart(BOUNDARY, names, files));
    }

    /** What {@code ser predict} prints for this file given by its bare name. */
    private static String expected(Path clip) {
        return Json.write(recognizer.classify(clip).withFile(clip.getFileName()).toJson()) + "\n";
    }

    /** A one-line JSON error with this status, naming the problem. */
    private static void assertError(Http.Response r, int status, String says) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.body().endsWith("\n") && r.body().indexOf('\n') == r.body().length() - 1, r.body());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
        assertEquals(status, ((Number) m.get("status")).intValue());
        assertTrue(((String) m.get("error")).contains(says), r.body());
        assertEquals("application/json", r.contentType());
    }

    @Test
    void batchedClassifyEqualsOneAtATime() {
        List<float[]> samples = clips.stream().map(c -> AudioLoader.loadMono(c, recognizer.sampleRate())).toList();
        List<Prediction> batched = recognizer.classify(samples, recognizer.sampleRate());
        for (int i = 0; i < samples.size(); i++) {
            assertEquals(recognizer.classify(samples.get(i), recognizer.sampleRate()), batched.get(i), "clip " + i);
            assertEquals(recognizer.classify(clips.get(i)).withFile(null), batched.get(i), "clip " + i);
        }
        // at another rate each clip is resampled as the single-clip call resamples it
        List<float[]> at8k = samples.stream().map(s -> java.util.Arrays.copyOf(s, s.length / 2)).toList();
        List<Prediction> resampled = recognizer.classify(at8k, 8000);
        for (int i = 0; i < at8k.size(); i++) assertEquals(recognizer.classify(at8k.get(i), 8000), resampled.get(i));
    }

    @Test
    void classifyAnswersWhatPredictPrints() throws Exception {
        try (Server s = start(options())) {
            for (Path clip : clips.subList(0, 4)) {
                byte[] bytes = Files.readAllBytes(clip);
                String name = clip.getFileName().toString();
                Http.Response raw = post(s, "/v1/classify?name=" + name, bytes);
                assertEquals(200, raw.statusCode(), raw.body());
                assertEquals(expected(clip), raw.body());
                Http.Response form = multipart(s, "/v1/classify", List.of(name), List.of(bytes));
                assertEquals(expected(clip), form.body());
                // without a name, the line has no "file", as the library's in-memory prediction has none
                Http.Response anonymous = post(s, "/v1/classify", bytes);
                assertEquals(Json.write(recognizer.classify(clip).withFile(null).toJson()) + "\n", anonymous.body());
            }
            Http.Response health = get(s, "/healthz");
            assertEquals(200, health.statusCode());
            assertEquals("ok", ((Map<?, ?>) Json.parse(health.body())).get("status"));
        }
    }

    @Test
    void concurrentClientsEachGetTheirOwnAnswer() throws Exception {
        Map<Path, String> expected = new java.util.HashMap<>();
        for (Path c : clips) expected.put(c, expected(c));
        try (Server s = start(new Server.Options("127.0.0.1", 0, 8, 20, 1 << 20, 60, 256, 60_000));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            int clients = 16, each = 6;
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int first = c;
                answers.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int k = 0; k < each; k++) {
                        Path clip = clips.get((first * 5 + k) % clips.size());
                        Http.Response r = post(s, "/v1/classify?name=" + clip.getFileName(), Files.readAllBytes(clip));
                        if (r.statusCode() != 200 || !r.body().equals(expected.get(clip))) problems.add(clip + " -> " + r.body());
                    }
                    return problems;
                }));
            }
            for (Future<List<String>> f : answers) assertEquals(List.of(), f.get(120, TimeUnit.SECONDS));
            assertEquals(clients * each, s.metrics().count(Server.CLASSIFY, 200));
            String metrics = get(s, "/metrics").body();
            long batches = value(metrics, "ser_batch_size_count");
            assertTrue(batches < clients * each, "some requests shared a batch: " + batches + " batches\n" + metrics);
            assertEquals(clients * each, value(metrics, "ser_batch_size_sum"));
        }
    }

    private static long value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        assertTrue(m.find(), name + " in\n" + metrics);
        return (long) Double.parseDouble(m.group(1));
    }

    @Test
    void metricsCountRequestsByRouteAndStatus() throws Exception {
        try (Server s = start(options())) {
            byte[] bytes = Files.readAllBytes(clips.getFirst());
            assertEquals(200, post(s, "/v1/classify", bytes).statusCode());
            assertEquals(200, post(s, "/v1/classify", bytes).statusCode());
            assertEquals(400, post(s, "/v1/classify", "hello".getBytes()).statusCode());
            assertEquals(404, get(s, "/nope").statusCode());
            Http.Response r = get(s, "/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.contentType().startsWith("text/plain; version=0.0.4"), r.contentType());
            String m = r.body();
            assertTrue(m.contains("ser_requests_total{route=\"/v1/classify\",status=\"200\"} 2\n"), m);
            assertTrue(m.contains("ser_requests_total{route=\"/v1/classify\",status=\"400\"} 1\n"), m);
            assertTrue(m.contains("ser_requests_total{route=\"other\",status=\"404\"} 1\n"), m);
            assertTrue(m.contains("ser_request_duration_seconds_bucket{route=\"/v1/classify\",le=\"+Inf\"} 3\n"), m);
            assertTrue(m.contains("ser_request_duration_seconds_count{route=\"/v1/classify\"} 3\n"), m);
            assertTrue(m.contains("ser_batch_size_bucket{le=\"+Inf\"} 2\n"), m);
            assertTrue(m.contains("# TYPE ser_in_flight_requests gauge\nser_in_flight_requests 1\n"), m); // this request
            String again = get(s, "/metrics").body();
            assertTrue(again.contains("ser_requests_total{route=\"/metrics\",status=\"200\"} 1\n"), again);
        }
    }

    @Test
    void badRequestsAndLimitsAreOneLineJsonErrors() throws Exception {
        Path twoSeconds = dir.resolve("two-seconds.wav"), long4 = dir.resolve("four-seconds.wav");
        WavWriter.writePcm16(twoSeconds, new float[32_000], 16_000);
        WavWriter.writePcm16(long4, new float[64_000], 16_000);
        try (Server s = start(new Server.Options("127.0.0.1", 0, 4, 5, 100_000, 1.5, 8, 30_000))) {
            assertError(post(s, "/v1/classify?name=big.wav", Files.readAllBytes(long4)), 413, "larger than 100000 bytes");
            assertError(post(s, "/v1/classify?name=two.wav", Files.readAllBytes(twoSeconds)), 413,
                    "two.wav: 2.0 s of audio, more than the 1.5 s allowed (--max-seconds)");
            assertError(post(s, "/v1/classify?name=x.wav", "hello there".getBytes()), 400, "x.wav: not a WAV or AIFF file");
            assertError(post(s, "/v1/classify", "RIFF\u0010\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1)), 400, "upload: ");
            assertError(post(s, "/v1/classify", new byte[0]), 400, "empty body");
            byte[] clip = Files.readAllBytes(clips.getFirst());
            assertError(multipart(s, "/v1/classify", List.of("a.wav", "b.wav"), List.of(clip, clip)), 400, "2 file parts; send exactly one");
            Http.Response cut = Http.post(url(s, "/v1/classify"), "multipart/form-data; boundary=zz", "--zz\r\n".getBytes());
            assertError(cut, 400, "multipart body cut short");
            Http.Response wrong = get(s, "/v1/classify");
            assertError(wrong, 405, "GET is not allowed here; use POST");
            assertEquals("POST", wrong.allow());
            assertError(post(s, "/metrics", clip), 405, "use GET");
            assertError(get(s, "/v2/whatever"), 404, "no route /v2/whatever");
            assertError(post(s, "/v1/embed", clip), 404, "start the server with --weights W");
        }
    }

    @Test
    void aFullServerSays503WithRetryAfter() throws Exception {
        try (Server s = start(new Server.Options("127.0.0.1", 0, 4, 5, 1 << 20, 60, 1, 30_000))) {
            CountDownLatch release = new CountDownLatch(1);
            byte[] clip = Files.readAllBytes(clips.getFirst());
            // The first request holds the only place while its body waits for the latch.
            CompletableFuture<Http.Response> held = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.send("POST", url(s, "/v1/classify"), null, clip, release::await);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (s.metrics().inFlight() == 0 && System.nanoTime() < until) Thread.sleep(5);
            Http.Response busy = post(s, "/v1/classify", clip);
            assertError(busy, 503, "busy: 1 requests in progress (--max-pending)");
            assertEquals("1", busy.retryAfter());
            release.countDown();
            Http.Response first = held.get(30, TimeUnit.SECONDS);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(Json.write(recognizer.classify(clips.getFirst()).withFile(null).toJson()) + "\n", first.body());
        }
    }

    @Test
    void aRequestThatWaitsTooLongGets504() throws Exception {
        // The batch waits 2 s for company; the request may take 100 ms.
        try (Server s = start(new Server.Options("127.0.0.1", 0, 64, 2000, 1 << 20, 60, 8, 100))) {
            assertError(post(s, "/v1/classify", Files.readAllBytes(clips.getFirst())), 504, "no answer within 100 ms (--timeout-ms)");
        }
    }

    @Test
    void closeAnswersEveryAcceptedRequestThenStopsListening() throws Exception {
        Server s = start(new Server.Options("127.0.0.1", 0, 64, 1500, 1 << 20, 60, 64, 30_000));
        int n = 6;
        List<CompletableFuture<Http.Response>> accepted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path clip = clips.get(i);
            accepted.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post(s, "/v1/classify?name=" + clip.getFileName(), Files.readAllBytes(clip));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor()));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.metrics().inFlight() < n && System.nanoTime() < until) Thread.sleep(5);
        assertEquals(n, s.metrics().inFlight(), "all requests are in, waiting for their batch");
        int port = s.port();
        s.close();  // while the batch still waits for company
        for (int i = 0; i < n; i++) {
            Http.Response r = accepted.get(i).get(5, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(expected(clips.get(i)), r.body());
        }
        assertEquals(n, s.answered());
        assertThrows(ConnectException.class, () -> Http.get("http://127.0.0.1:" + port + "/healthz"));
    }

    @Test
    void embedAveragesTheChosenHiddenStates() throws Exception {
        Path weights = dir.resolve("small.safetensors");
        if (Files.notExists(weights)) {
            assertEquals(0, Main.run("convert", fixtures().resolve("small-large/hf").toString(), "--out", weights.toString()));
        }
        Hubert hubert = Hubert.load(weights);
        int[] layers = {0, 2};
        try (Server s = Server.start(recognizer, new Server.Embedding(hubert, layers), options());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (Path clip : clips.subList(0, 4)) {
                answers.add(pool.submit(() -> post(s, "/v1/embed?name=" + clip.getFileName(), Files.readAllBytes(clip))));
            }
            for (int i = 0; i < 4; i++) {
                Http.Response r = answers.get(i).get(60, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), r.body());
                Map<?, ?> m = (Map<?, ?>) Json.parse(r.body());
                assertEquals(clips.get(i).getFileName().toString(), m.get("file"));
                assertEquals(List.of(0L, 2L), ((List<?>) m.get("layers")).stream().map(x -> ((Number) x).longValue()).toList());
                HubertOutput alone = hubert.forward(AudioLoader.loadMono(clips.get(i), 16_000));
                float[] want = alone.embedding(0, layers, HubertOutput.Pool.MEAN).toArray();
                List<?> rows = (List<?>) m.get("embedding");
                int dim = ((Number) m.get("dim")).intValue();
                assertEquals(layers.length, rows.size());
                for (int l = 0; l < layers.length; l++) {
                    List<?> row = (List<?>) rows.get(l);
                    for (int j = 0; j < dim; j++) {
                        double got = ((Number) row.get(j)).doubleValue();
                        assertEquals(want[l * dim + j], got, 1e-5 * (1 + Math.abs(want[l * dim + j])), "layer " + l + " dim " + j);
                    }
                }
            }
            Path tiny = dir.resolve("tiny.wav");
            WavWriter.writePcm16(tiny, new float[300], 16_000);
            assertError(post(s, "/v1/embed?name=tiny.wav", Files.readAllBytes(tiny)), 422, "tiny.wav: too short for HuBERT");
        }
    }

    @Test
    void serveHelpHasExamplesAndBadOptionsAreOneLine() {
        PrintStream out = System.out, err = System.err;
        var captured = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run("serve", "--help"));
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("ser serve --run runs/seed --port 8080"));
            captured.reset();
            assertEquals(1, Main.run("serve", "--run", run.toString(), "--max-batch", "0"));
            assertTrue(captured.toString(StandardCharsets.UTF_8).contains("--max-batch must be at least 1, got 0"), captured.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertNotNull(run);
    }

    private static Path fixtures() throws URISyntaxException {
        return Path.of(ServerTest.class.getResource("/fixtures/hubert").toURI());
    }
}
