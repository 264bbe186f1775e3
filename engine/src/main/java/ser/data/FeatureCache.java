package ser.data;

import ser.SerException;
import ser.io.AtomicFiles;
import ser.io.DirectoryLock;
import ser.io.Npy;
import ser.io.OutputException;
import ser.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts features for every utterance once and keeps them on disk as {@code .npy} files, so that training
 * runs read arrays instead of decoding audio again.
 *
 * <p>Layout of the feature directory: each utterance's features at its audio path relative to the data root,
 * with {@code .npy} for the extension ({@code Actor_01/03-01-01-01-01-01-01.npy}); the index
 * ({@link FeatureIndex}); and {@code feature-config.json}, the config the features were computed with and its
 * hash.
 *
 * <p>Re-running reuses every {@code .npy} already there and computes only the missing ones, and those whose
 * audio file changed since (its size or modification time differs from the index's record, {@link SourceStamp});
 * the files are written atomically, so one that exists is complete. A directory stamped with a different config hash is
 * refused (not silently mixed, and not deleted either: the old features may be someone's only copy); the user
 * picks a new directory or deletes the old one.
 *
 * <p>One build at a time per directory ({@link DirectoryLock}): a second process gets a one-line error.
 *
 * <p>Work runs on a fixed pool of threads. A file the extractor rejects with a {@link SerException} (unreadable,
 * truncated, not a WAV) is skipped and reported in the result. A feature file, index or stamp that cannot be
 * written ({@link OutputException}: disk full, read-only, quota) stops the whole build instead: the files still
 * to come would fail the same way, and a cache with holes must not pass for a corpus with bad files. Any other
 * exception is a bug and stops the run.
 */
public final class FeatureCache {

    public static final String STAMP = "feature-config.json";
    /** How long a shared cache's build waits for another job's build of the same directory ({@link #sharedBetweenRuns}). */
    static final Duration SHARED_PATIENCE = Duration.ofHours(2);
    private static final Pattern STAMP_HASH = Pattern.compile("\"configHash\"\\s*:\\s*\"([0-9a-f]+)\"");

    /** A file that could not be extracted, and why, in one line. */
    public record Failure(Path file, String reason) {}

    public record Result(List<FeatureIndex.Entry> entries, List<Failure> failures, int computed, int reused) {}

    private final Path out;
    private final String config;
    private final String configHash;
    private final Function<Path, Tensor> extractor;
    private final int threads;
    private Duration lockPatience = Duration.ZERO;

    /**
     * @param out       the feature directory (created when missing)
     * @param config    a complete description of the feature config; its hash guards the directory
     * @param extractor audio file to feature tensor; called from several threads at once
     * @param threads   the size of the worker pool
     */
    public FeatureCache(Path out, String config, Function<Path, Tensor> extractor, int threads) {
        if (threads < 1) throw new SerException("threads must be at least 1, got " + threads);
        this.out = out.toAbsolutePath().normalize();
        this.config = config;
        this.configHash = hash(config);
        this.extractor = extractor;
        this.threads = threads;
    }

    public String configHash() {
        return configHash;
    }

    /**
     * This cache is one that several runs fill in turn (a training cache): a build waits while another job builds
     * the same directory, then reuses what that one computed, instead of refusing as a directory of one's own does.
     */
    public FeatureCache sharedBetweenRuns() {
        lockPatience = SHARED_PATIENCE;
        return this;
    }

    /** The feature directory. */
    public Path directory() {
        return out;
    }

    /**
     * Extracts what is missing for {@code utterances} of {@code corpus}, writes the index and returns it.
     * {@code onEach} is called once per utterance as it finishes (from worker threads), for a progress bar.
     */
    public Result build(Corpus corpus, List<Utterance> utterances, Runnable onEach) {
        try (DirectoryLock lock = lockPatience.isZero() ? DirectoryLock.take(out)
                : DirectoryLock.await(out, lockPatience, message -> System.err.println("ser: " + message))) {
            return buildLocked(corpus, utterances, onEach);
        }
    }

    private Result buildLocked(Corpus corpus, List<Utterance> utterances, Runnable onEach) {
        stamp();
        Set<Path> seen = new HashSet<>();
        List<Utterance> unique = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        for (Utterance u : utterances) {
            if (seen.add(u.path())) unique.add(u);
            else failures.add(new Failure(u.path(), "listed more than once; the first listing was used"));
        }

        Map<Path, FeatureIndex.Entry> previous = previousIndex(corpus.root());
        AtomicInteger computed = new AtomicInteger();
        Queue<Failure> badFiles = new ConcurrentLinkedQueue<>();
        AtomicReference<OutputException> cannotWrite = new AtomicReference<>();
        List<Future<Optional<FeatureIndex.Entry>>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "features");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Utterance u : unique) {
                results.add(pool.submit(() -> {
                    if (cannotWrite.get() != null) return Optional.empty(); // the build stops; no point computing
                    try {
                        return Optional.of(extractOrReuse(corpus.root(), u, previous, computed));
                    } catch (OutputException e) {
                        cannotWrite.compareAndSet(null, e);
                        throw e;
                    } catch (SerException e) {
                        badFiles.add(new Failure(u.path(), reasonOnly(u.path(), e.getMessage())));
                        return Optional.empty();
                    } finally {
                        onEach.run();
                    }
                }));
            }
            List<FeatureIndex.Entry> entries = new ArrayList<>();
            for (Future<Optional<FeatureIndex.Entry>> f : results) await(f).ifPresent(entries::add);
            if (cannotWrite.get() != null) throw cannotWrite.get();
            badFiles.stream().sorted(Comparator.comparing(Failure::file)).forEach(failures::add);
            FeatureIndex.write(out, corpus.root(), corpus.name(), config, configHash, entries);
            return new Result(entries, failures, computed.get(), entries.size() - computed.get());
        } finally {
            stop(pool);
        }
    }

    private FeatureIndex.Entry extractOrReuse(Path root, Utterance u, Map<Path, FeatureIndex.Entry> previous,
                                              AtomicInteger computed) {
        Path npy = npyPathFor(root, u.path());
        // Stamped before extracting: a file rewritten meanwhile then differs from its record next time.
        SourceStamp source = SourceStamp.of(u.path());
        if (Files.isRegularFile(npy) && madeFrom(npy, source, previous.get(key(u.path())))) {
            try {
                return new FeatureIndex.Entry(u, npy, Npy.readHeader(npy).shape(), source);
            } catch (SerException unreadable) {
                // Not one of ours (ours are written atomically): compute it again over the top.
            }
        }
        Tensor features = extractor.apply(u.path());
        Npy.write(npy, features);
        computed.incrementAndGet();
        return new FeatureIndex.Entry(u, npy, features.shape(), source);
    }

    /**
     * Whether {@code npy} holds the features of the audio file as it is now ({@code source}): the index records the
     * same size and modification time for it. A feature file the index does not list with a stamp (a build killed
     * before writing its index, or an index from before stamps) counts when it is newer than its audio file.
     */
    private static boolean madeFrom(Path npy, SourceStamp source, FeatureIndex.Entry recorded) {
        if (recorded != null && recorded.source() != null) return recorded.npy().equals(npy) && recorded.source().equals(source);
        try {
            return !Files.getLastModifiedTime(npy).toInstant().isBefore(source.modified());
        } catch (IOException e) {
            return false;
        }
    }

    /** The entries of the index already in the directory, by audio path; none when there is no readable index. */
    private Map<Path, FeatureIndex.Entry> previousIndex(Path root) {
        Map<Path, FeatureIndex.Entry> byAudio = new HashMap<>();
        if (!Files.isRegularFile(out.resolve(FeatureIndex.CSV))) return byAudio;
        try {
            for (FeatureIndex.Entry e : FeatureIndex.read(out, root)) byAudio.put(key(e.utterance().path()), e);
        } catch (SerException unreadable) {
            // Only a hint: without it every feature file is checked against its audio file's time.
        }
        return byAudio;
    }

    private static Path key(Path audio) {
        return audio.toAbsolutePath().normalize();
    }

    /**
     * The audio path relative to the data root, under the feature directory, ending in {@code .npy}. A path that
     * climbs out of the root (a manifest may list {@code ../x.wav}) has each {@code ..} spelled {@code __}, so
     * no feature file lands outside the feature directory.
     */
    Path npyPathFor(Path root, Path audio) {
        Path rel = root.relativize(audio.toAbsolutePath().normalize());
        Path target = out;
        for (Path part : rel) target = target.resolve(part.toString().equals("..") ? "__" : part.toString());
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return target.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".npy");
    }

    private void stamp() {
        Path stamp = out.resolve(STAMP);
        if (Files.isRegularFile(stamp)) {
            String text;
            try {
                text = Files.readString(stamp, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw SerException.inFile(stamp, "cannot read (" + e.getMessage() + ")", e);
            }
            Matcher m = STAMP_HASH.matcher(text);
            if (!m.find()) throw SerException.inFile(stamp, "has no configHash; delete it or use another directory");
            if (!m.group(1).equals(configHash)) {
                throw SerException.inFile(out, "holds features of another config (hash " + m.group(1) + ", this config "
                        + configHash + "); use another directory or delete this one");
            }
            return;
        }
        AtomicFiles.writeString(stamp, "{\n  \"configHash\": " + FeatureIndex.quote(configHash) + ",\n  \"config\": "
                + FeatureIndex.quote(config) + "\n}\n");
    }

    /** The first 16 hex digits of the SHA-256 of {@code config}: stable across runs, JVMs and machines. */
    static String hash(String config) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The problem alone, without the {@code "<file>: "} prefix SerExceptions carry, since reports print the file. */
    private static String reasonOnly(Path file, String message) {
        String prefix = file + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }

    /**
     * Cancels what has not started and waits for the files in progress: once build returns (say, on a full disk)
     * nothing writes into the directory any more, and the lock is released only after the last write.
     */
    private static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SerException("interrupted", e);
        } catch (ExecutionException e) {
            // Not a bad file (those come back as Failures): a bug, to be seen with its stack trace.
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
