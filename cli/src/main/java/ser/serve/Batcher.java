package ser.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Dynamic batching across clients: one thread takes the first waiting request, then collects more until it holds
 * {@code maxBatch} or {@code maxWaitMs} have passed since it took the first, and runs them as one batch. A request
 * whose client gave up (its future cancelled) is left out. When a batch fails as a whole, each of its requests is
 * run alone, so that one bad input fails only its own request. {@link #close} runs what was submitted, then stops.
 */
final class Batcher<I, O> implements AutoCloseable {

    private record Job<I, O>(I input, CompletableFuture<O> result) {}

    private final Function<List<I>, List<O>> run;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer onBatch;
    private final Metrics metrics;
    private final LinkedBlockingQueue<Job<I, O>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    Batcher(String name, Function<List<I>, List<O>> run, int maxBatch, long maxWaitMs, Metrics metrics) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be at least 1");
        this.run = run;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.metrics = metrics;
        this.onBatch = metrics::batch;
        this.thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
    }

    /** Queues one input; the future completes with its output, or with the exception that stopped it. */
    CompletableFuture<O> submit(I input) {
        CompletableFuture<O> f = new CompletableFuture<>();
        if (closing) {
            f.completeExceptionally(new IllegalStateException("the batcher is closed"));
            return f;
        }
        metrics.queued(1);
        queue.add(new Job<>(input, f));
        return f;
    }

    private void loop() {
        List<Job<I, O>> batch = new ArrayList<>(maxBatch);
        while (true) {
            Job<I, O> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (closing && queue.isEmpty()) return;
                continue;
            }
            batch.add(first);
            long deadline = System.nanoTime() + maxWaitNanos;
            while (batch.size() < maxBatch) {
                long left = deadline - System.nanoTime();
                Job<I, O> next = left <= 0 ? queue.poll() : poll(left);
                if (next == null) break;
                batch.add(next);
            }
            metrics.queued(-batch.size());
            batch.removeIf(j -> j.result.isDone());  // timed out while waiting
            if (!batch.isEmpty()) runBatch(batch);
            batch.clear();
        }
    }

    private Job<I, O> poll(long nanos) {
        try {
            return queue.poll(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void runBatch(List<Job<I, O>> batch) {
        onBatch.accept(batch.size());
        try {
            List<O> out = run.apply(batch.stream().map(Job::input).toList());
            for (int i = 0; i < batch.size(); i++) batch.get(i).result.complete(out.get(i));
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.getFirst().result.completeExceptionally(e);
                return;
            }
            for (Job<I, O> j : batch) {
                try {
                    j.result.complete(run.apply(List.of(j.input)).getFirst());
                } catch (RuntimeException | Error alone) {
                    j.result.completeExceptionally(alone);
                }
            }
        }
    }

    /** Stops taking inputs, runs every one already queued, and returns when the last batch is done. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job<I, O> j; (j = queue.poll()) != null; ) j.result.completeExceptionally(new IllegalStateException("the server is stopping"));
    }
}
