package ser.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load client of bench/serve.sh: clients at each concurrency post the audio files to a running {@code ser serve}
 * ({@code POST /v1/classify?name=FILE}, raw bytes), each client one request at a time, until the level's count of
 * requests is sent or its time is up (no request starts after that; the ones started are waited for). Every answer
 * is compared with {@code ser predict}'s line for the same file. Run from source, no build needed:
 * <pre>
 *   java bench/src/main/java/ser/bench/ServeLoad.java URL FILES_DIR EXPECTED.jsonl CONCURRENCY,... REQUESTS,... SECONDS
 * </pre>
 * Prints one tab-separated row per level: concurrency, sent, answered, ok (status 200 and equal to ser predict),
 * wrong, failed (no answer), wall seconds, requests per second, p50 and p99 latency in ms. Exit status 1 when a
 * request was lost or an answer differed.
 */
public final class ServeLoad {

    private ServeLoad() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ServeLoad URL FILES_DIR EXPECTED.jsonl CONCURRENCY,... REQUESTS,... SECONDS");
            System.exit(2);
        }
        String url = args[0];
        Path dir = Path.of(args[1]);
        Map<String, String> expected = expected(Path.of(args[2]));
        int[] levels = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] counts = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        double seconds = Double.parseDouble(args[5]);
        List<String> names = expected.keySet().stream().sorted().toList();
        Map<String, byte[]> bodies = new HashMap<>();
        for (String n : names) bodies.put(n, Files.readAllBytes(dir.resolve(n)));

        boolean clean = true;
        System.out.println("concurrency\tsent\tanswered\tok\twrong\tfailed\twall_s\treq_per_s\tp50_ms\tp99_ms");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < levels.length; i++) {
                clean &= level(client, url, names, bodies, expected, levels[i], counts[Math.min(i, counts.length - 1)], seconds);
            }
        }
        System.exit(clean ? 0 : 1);
    }

    /** {"file": NAME, ...} lines of ser predict, by NAME. */
    private static Map<String, String> expected(Path jsonl) throws IOException {
        Pattern file = Pattern.compile("^\\{\"file\":\"([^\"]+)\"");
        Map<String, String> out = new HashMap<>();
        for (String line : Files.readAllLines(jsonl)) {
            Matcher m = file.matcher(line);
            if (m.find()) out.put(m.group(1), line);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(jsonl + ": no ser predict lines");
        return out;
    }

    private static boolean level(HttpClient client, String url, List<String> names, Map<String, byte[]> bodies,
                                 Map<String, String> expected, int concurrency, int count, double seconds) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger(), ok = new AtomicInteger(), wrong = new AtomicInteger(), failed = new AtomicInteger();
        long[] latencies = new long[count];
        AtomicLong firstProblem = new AtomicLong(-1);
        long start = System.nanoTime(), deadline = start + (long) (seconds * 1e9);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < concurrency; c++) {
                clients.submit(() -> {
                    for (int k; System.nanoTime() < deadline && (k = next.getAndIncrement()) < count; ) {
                        String name = names.get(k % names.size());
                        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/classify?name=" + name))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(name))).build();
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            latencies[k] = System.nanoTime() - t0;
                            answered.incrementAndGet();
                            if (r.statusCode() == 200 && r.body().strip().equals(expected.get(name))) {
                                ok.incrementAndGet();
                            } else {
                                wrong.incrementAndGet();
                                if (firstProblem.compareAndSet(-1, k)) System.err.println("differs: " + name + " -> " + r.statusCode() + " " + r.body().strip());
                            }
                        } catch (IOException | InterruptedException e) {
                            latencies[k] = System.nanoTime() - t0;
                            failed.incrementAndGet();
                            if (firstProblem.compareAndSet(-1, k)) System.err.println("no answer: " + name + ": " + e);
                        }
                    }
                    return null;
                });
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        int sent = Math.min(next.get(), count);
        long[] done = Arrays.copyOf(latencies, sent);
        Arrays.sort(done);
        System.out.printf(Locale.ROOT, "%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.1f\t%.1f%n", concurrency, sent, answered.get(), ok.get(),
                wrong.get(), failed.get(), wall, answered.get() / wall, percentile(done, 0.50), percentile(done, 0.99));
        return answered.get() == sent && ok.get() == sent && failed.get() == 0;
    }

    /** The nearest-rank percentile, in ms. */
    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
