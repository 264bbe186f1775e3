package ser.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters in the Prometheus text format (version 0.0.4), written by hand: requests by route and
 * status, a latency histogram by route, the batch-size histogram, and the requests in flight.
 */
public final class Metrics {

    /** Latency bucket bounds in seconds. */
    static final double[] LATENCY_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Batch-size bucket bounds. */
    static final double[] BATCH_BOUNDS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram batches = new Histogram(BATCH_BOUNDS);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();

    /** One finished request: its route ("/v1/classify", or "other" for unknown paths), status and time. */
    public void request(String route, int status, long nanos) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram(LATENCY_BOUNDS)).observe(nanos / 1e9);
    }

    /** One batch run through the model. */
    public void batch(int size) {
        batches.observe(size);
    }

    public void enter() { inFlight.incrementAndGet(); }

    public void leave() { inFlight.decrementAndGet(); }

    public long inFlight() { return inFlight.get(); }

    void queued(long delta) { queued.addAndGet(delta); }

    /** How many requests of this route ended with this status so far. */
    public long count(String route, int status) {
        LongAdder a = requests.get(route + "\u0000" + status);
        return a == null ? 0 : a.sum();
    }

    /** The text {@code GET /metrics} answers. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP ser_requests_total Requests answered, by route and HTTP status.\n");
        out.append("# TYPE ser_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, n) -> {
            String[] rs = key.split("\u0000");
            out.append("ser_requests_total{route=\"").append(rs[0]).append("\",status=\"").append(rs[1]).append("\"} ")
                    .append(n.sum()).append('\n');
        });
        out.append("# HELP ser_request_duration_seconds Time from a request's arrival until its answer is ready to send, by route.\n");
        out.append("# TYPE ser_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((route, h) -> h.write(out, "ser_request_duration_seconds", "route=\"" + route + "\","));
        out.append("# HELP ser_batch_size Requests run through the model together.\n");
        out.append("# TYPE ser_batch_size histogram\n");
        batches.write(out, "ser_batch_size", "");
        out.append("# HELP ser_in_flight_requests Requests being handled now.\n");
        out.append("# TYPE ser_in_flight_requests gauge\n");
        out.append("ser_in_flight_requests ").append(inFlight.get()).append('\n');
        out.append("# HELP ser_queued_requests Requests waiting for a batch now.\n");
        out.append("# TYPE ser_queued_requests gauge\n");
        out.append("ser_queued_requests ").append(queued.get()).append('\n');
        return out.toString();
    }

    /** Cumulative buckets, a sum and a count, as Prometheus histograms are. */
    static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;  // non-cumulative; the last slot is +Inf
        private final LongAdder count = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length + 1);
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) i++;
            counts.incrementAndGet(i);
            count.increment();
            sum.add(v);
        }

        void write(StringBuilder out, String name, String labels) {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += counts.get(i);
                String le = i == bounds.length ? "+Inf" : number(bounds[i]);
                out.append(name).append("_bucket{").append(labels).append("le=\"").append(le).append("\"} ")
                        .append(cumulative).append('\n');
            }
            String plain = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
            out.append(name).append("_sum").append(plain).append(' ').append(number(sum.sum())).append('\n');
            out.append(name).append("_count").append(plain).append(' ').append(count.sum()).append('\n');
        }

        private static String number(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
        }
    }
}
