package ser.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import ser.SerException;
import ser.api.EmotionRecognizer;
import ser.api.Prediction;
import ser.audio.AudioLoader;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ser serve}: a resident model behind the JDK's own HTTP server, one virtual thread per request.
 * <ul>
 *   <li>{@code POST /v1/classify}: WAV or AIFF bytes (raw, or the one file part of multipart/form-data) to the
 *       JSON line {@code ser predict} prints for that file ({@link Prediction#toJson});</li>
 *   <li>{@code POST /v1/embed}: HuBERT hidden states averaged over time, when the server has weights;</li>
 *   <li>{@code GET /healthz} and {@code GET /metrics} (Prometheus text).</li>
 * </ul>
 * Requests decode their audio on their own threads, then wait for a batch: {@link Batcher} runs up to
 * {@code maxBatch} of them through the model together. Every refusal is a one-line JSON {@code {"error", "status"}}.
 * {@link #close} stops accepting, answers what was accepted, and returns.
 */
public final class Server implements AutoCloseable {

    /** The HuBERT behind {@code /v1/embed}: its weights and the hidden states to average (0 .. layers). */
    public record Embedding(Hubert hubert, int[] layers) {}

    /**
     * The limits.
     *
     * @param host          the address to listen on
     * @param port          the port (0: any free one, see {@link #port})
     * @param maxBatch      requests run through the model together at most
     * @param maxWaitMs     how long a batch waits for more requests after its first
     * @param maxUploadBytes the largest body accepted (413 beyond)
     * @param maxSeconds    the longest audio accepted, in seconds (413 beyond)
     * @param maxPending    requests accepted at once, reading, decoding, queued or running (503 beyond)
     * @param timeoutMs     the longest a request may take from arrival to answer (504 beyond)
     */
    public record Options(String host, int port, int maxBatch, long maxWaitMs, long maxUploadBytes, double maxSeconds,
                          int maxPending, long timeoutMs) {
        public Options {
            if (maxBatch < 1) throw new SerException("--max-batch must be at least 1, got " + maxBatch);
            if (maxWaitMs < 0) throw new SerException("--max-wait-ms must be at least 0, got " + maxWaitMs);
            if (maxUploadBytes < 1) throw new SerException("--max-upload-mb must be positive");
            if (!(maxSeconds > 0)) throw new SerException("--max-seconds must be positive, got " + maxSeconds);
            if (maxPending < 1) throw new SerException("--max-pending must be at least 1, got " + maxPending);
            if (timeoutMs < 1) throw new SerException("--timeout-ms must be at least 1, got " + timeoutMs);
            if (port < 0 || port > 65535) throw new SerException("--port must be in 0..65535, got " + port);
        }

        /** The defaults of {@code ser serve} on loopback and {@code port}. */
        public static Options defaults(int port) {
            return new Options("127.0.0.1", port, 16, 5, 50L << 20, 600, 256, 30_000);
        }
    }

    static final String CLASSIFY = "/v1/classify", EMBED = "/v1/embed", HEALTH = "/healthz", METRICS = "/metrics";
    private static final int HUBERT_RATE = 16_000;

    private final EmotionRecognizer recognizer;
    private final Embedding embedding;
    private final Options options;
    private final Metrics metrics = new Metrics();
    private final Semaphore pending;
    private final HttpServer http;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Batcher<float[], Prediction> classifier;
    private final Batcher<float[], Map<String, Object>> embedder;
    private final Path uploads;
    private final AtomicLong uploadCount = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicLong answered = new AtomicLong();

    private Server(EmotionRecognizer recognizer, Embedding embedding, Options options) throws IOException {
        this.recognizer = recognizer;
        this.embedding = embedding;
        this.options = options;
        this.pending = new Semaphore(options.maxPending());
        this.uploads = Files.createTempDirectory("ser-serve-");
        int rate = recognizer.sampleRate();
        this.classifier = new Batcher<>("ser-serve-classify", clips -> recognizer.classify(clips, rate),
                options.maxBatch(), options.maxWaitMs(), metrics);
        this.embedder = embedding == null ? null : new Batcher<>("ser-serve-embed", this::embed,
                options.maxBatch(), options.maxWaitMs(), metrics);
        try {
            this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), Math.max(64, options.maxPending()));
        } catch (IOException e) {
            classifier.close();
            if (embedder != null) embedder.close();
            deleteUploads();
            throw new SerException("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /** Starts a server for {@code recognizer} (and {@code embedding}, which may be null) and returns it listening. */
    public static Server start(EmotionRecognizer recognizer, Embedding embedding, Options options) {
        try {
            Server s = new Server(recognizer, embedding, options);
            s.http.start();
            return s;
        } catch (IOException e) {
            throw new SerException("cannot start the server: " + e.getMessage(), e);
        }
    }

    /** The port it listens on (the one the system chose when the options asked for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public Metrics metrics() {
        return metrics;
    }

    /** Requests answered so far, any status. */
    public long answered() {
        return answered.get();
    }

    /** Blocks until {@link #close} has finished. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /**
     * Graceful stop: the listening socket closes, the requests already accepted run to their answers (within the
     * request timeout), the batch threads finish, and the uploads folder goes. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            // stop(delay) closes the listener, then waits (at most delay s) for the exchanges in progress to end.
            http.stop((int) Math.max(1, (options.timeoutMs() + 999) / 1000 + 1));
            classifier.close();
            if (embedder != null) embedder.close();
            threads.shutdown();
            threads.awaitTermination(options.timeoutMs() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteUploads();
            closed.countDown();
        }
    }

    private void deleteUploads() {
        try (var s = Files.list(uploads)) {
            for (Path p : s.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(uploads);
        } catch (IOException ignored) {
            // a temporary folder left behind is not worth failing a shutdown for
        }
    }

    // ---- requests -------------------------------------------------------------------------------------------

    /** An answer, made before any of it is sent: the metrics count it first, so a client that has it sees it counted. */
    private record Reply(int status, String type, String body) {}

    /** Request bytes read and dropped after an early answer, so that the connection stays usable; past that, it closes. */
    private static final long DRAIN_LIMIT = 16L << 20;

    private void handle(HttpExchange ex) {
        long start = System.nanoTime();
        String path = ex.getRequestURI().getPath();
        String route = switch (path) {
            case CLASSIFY, EMBED, HEALTH, METRICS -> path;
            default -> "other";
        };
        metrics.enter();
        Reply reply;
        try {
            reply = respond(ex, path, start);
        } catch (BadRequest e) {
            reply = error(ex, e);
        } catch (RuntimeException | Error e) {
            reply = error(ex, new BadRequest(500, "internal error: " + e));
        }
        drain(ex);
        metrics.leave();
        metrics.request(route, reply.status(), System.nanoTime() - start);
        answered.incrementAndGet();
        send(ex, reply);
        ex.close();
    }

    /**
     * Reads what is left of the request body (a refused upload's rest), up to {@link #DRAIN_LIMIT}: a client that
     * sends a whole body before it reads the answer then gets the answer, not a reset, and may reuse the connection.
     * A longer rest is left unread and the connection closed after the answer.
     */
    private static void drain(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            byte[] buffer = new byte[64 << 10];
            long left = DRAIN_LIMIT;
            for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) left -= n;
            if (left <= 0 && in.read() >= 0) ex.getResponseHeaders().set("Connection", "close");
        } catch (IOException e) {
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    private Reply respond(HttpExchange ex, String path, long start) {
        String method = ex.getRequestMethod();
        return switch (path) {
            case HEALTH -> {
                allow(method, "GET");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", closing.get() ? "stopping" : "ok");
                m.put("labels", recognizer.labels());
                m.put("sample_rate", recognizer.sampleRate());
                m.put("embed", embedding != null);
                yield new Reply(closing.get() ? 503 : 200, "application/json", Json.write(m) + "\n");
            }
            case METRICS -> {
                allow(method, "GET");
                yield new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.text());
            }
            case CLASSIFY -> {
                allow(method, "POST");
                yield admitted(ex, start, () -> {
                    Upload u = upload(ex);
                    float[] samples = decode(u, recognizer.sampleRate());
                    Prediction p = await(classifier.submit(samples), start);
                    return Json.write(p.withFile(u.file()).toJson()) + "\n";
                });
            }
            case EMBED -> {
                allow(method, "POST");
                if (embedding == null) {
                    throw new BadRequest(404, "/v1/embed needs HuBERT weights: start the server with --weights W");
                }
                yield admitted(ex, start, () -> {
                    Upload u = upload(ex);
                    float[] samples = decode(u, HUBERT_RATE);
                    if (embedding.hubert().config().frames(samples.length) == 0) {
                        throw new BadRequest(422, u.name() + ": too short for HuBERT: " + samples.length
                                + " samples at 16 kHz make no frame");
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    if (u.file() != null) m.put("file", u.file().toString());
                    m.putAll(await(embedder.submit(samples), start));
                    return Json.write(m) + "\n";
                });
            }
            default -> throw new BadRequest(404, "no route " + SerException.printable(path)
                    + "; the routes are POST /v1/classify, POST /v1/embed, GET /healthz, GET /metrics");
        };
    }

    private interface Work {
        String run();
    }

    /** Runs {@code work} under the pending-requests limit, and sends its JSON. */
    private Reply admitted(HttpExchange ex, long start, Work work) {
        if (closing.get()) throw new BadRequest(503, "the server is stopping", "1");
        if (!pending.tryAcquire()) {
            throw new BadRequest(503, "busy: " + options.maxPending() + " requests in progress (--max-pending); retry later", "1");
        }
        try {
            return new Reply(200, "application/json", work.run());
        } finally {
            pending.release();
        }
    }

    private static void allow(String method, String allowed) {
        if (!method.equals(allowed)) throw BadRequest.methodNotAllowed(SerException.printable(method), allowed);
    }

    /** An upload: its bytes and the file name the client gave (null for a raw body without ?name=). */
    private record Upload(byte[] bytes, Path file) {
        String name() {
            return file == null ? "upload" : file.toString();
        }
    }

    private Upload upload(HttpExchange ex) {
        long max = options.maxUploadBytes();
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > max) throw tooLarge(max);
            } catch (NumberFormatException e) {
                throw new BadRequest("Content-Length is not a number: " + SerException.printable(length));
            }
        }
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw new BadRequest("could not read the request body: " + e.getMessage());
        }
        if (body.length > max) throw tooLarge(max);
        String name = query(ex, "name");
        String boundary = Multipart.boundary(ex.getRequestHeaders().getFirst("Content-Type"));
        if (boundary != null) {
            Multipart.Part part = Multipart.onlyFile(body, boundary);
            body = part.bytes();
            if (part.fileName() != null && !part.fileName().isEmpty()) name = part.fileName();
        }
        if (body.length == 0) {
            throw new BadRequest("empty body: send WAV or AIFF bytes, or multipart/form-data with one file part");
        }
        return new Upload(body, fileName(name));
    }

    private static BadRequest tooLarge(long max) {
        return new BadRequest(413, "upload larger than " + max + " bytes (--max-upload-mb)");
    }

    /** The last segment of a client's file name, as a path for the JSON's "file"; null when there is none. */
    private static Path fileName(String name) {
        if (name == null) return null;
        String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
        if (base.isEmpty() || base.equals(".") || base.equals("..")) return null;
        try {
            return Path.of(base);
        } catch (InvalidPathException e) {
            throw new BadRequest("file name " + SerException.printable(name) + " is not usable: " + e.getReason());
        }
    }

    private static String query(HttpExchange ex, String key) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) return null;
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(key)) return java.net.URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    /**
     * Mono samples at {@code rate}: the library's file reader on a private temporary copy, whose path in a message
     * is replaced by the client's name for the upload.
     */
    private float[] decode(Upload u, int rate) {
        Path tmp = uploads.resolve(uploadCount.incrementAndGet() + ".audio");
        try {
            Files.write(tmp, u.bytes());
            float[] samples = AudioLoader.loadMono(tmp, rate);
            double seconds = (double) samples.length / rate;
            if (seconds > options.maxSeconds()) {
                throw new BadRequest(413, String.format(Locale.ROOT, "%s: %.1f s of audio, more than the %s s allowed "
                        + "(--max-seconds)", u.name(), seconds, number(options.maxSeconds())));
            }
            return samples;
        } catch (SerException e) {
            throw new BadRequest(400, e.getMessage().replace(tmp.toString(), u.name()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // deleted with the folder at shutdown
            }
        }
    }

    private <T> T await(CompletableFuture<T> result, long start) {
        long left = options.timeoutMs() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        try {
            return result.get(Math.max(0, left), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            throw new BadRequest(504, "no answer within " + options.timeoutMs() + " ms (--timeout-ms)");
        } catch (CancellationException e) {
            throw new BadRequest(504, "no answer within " + options.timeoutMs() + " ms (--timeout-ms)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequest(503, "the server is stopping", "1");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SerException s) throw new BadRequest(422, s.getMessage());
            if (cause instanceof IllegalStateException s) throw new BadRequest(503, s.getMessage(), "1");
            throw new BadRequest(500, "internal error: " + cause);
        }
    }

    /** Each clip's mean hidden states, by one {@link Hubert#forwardEach} over the batch. */
    private List<Map<String, Object>> embed(List<float[]> clips) {
        int[] layers = embedding.layers();
        HubertOutput states = embedding.hubert().forwardEach(clips, layers);
        List<Map<String, Object>> out = new ArrayList<>();
        for (int b = 0; b < clips.size(); b++) {
            float[] flat = states.embedding(b, layers, HubertOutput.Pool.MEAN).toArray();
            int dim = flat.length / layers.length;
            List<float[]> rows = new ArrayList<>();
            for (int i = 0; i < layers.length; i++) rows.add(Arrays.copyOfRange(flat, i * dim, (i + 1) * dim));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layers", layers);
            m.put("frames", states.frames()[b]);
            m.put("dim", dim);
            m.put("embedding", rows);
            out.add(m);
        }
        return out;
    }

    // ---- answers ---------------------------------------------------------------------------------------------

    private static Reply error(HttpExchange ex, BadRequest e) {
        if (e.retryAfter != null) ex.getResponseHeaders().set("Retry-After", e.retryAfter);
        if (e.allow != null) ex.getResponseHeaders().set("Allow", e.allow);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", e.getMessage());
        m.put("status", e.status);
        return new Reply(e.status, "application/json", Json.write(m) + "\n");
    }

    private static void send(HttpExchange ex, Reply reply) {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", reply.type());
        try {
            ex.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away; the status is still what the server answered
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
