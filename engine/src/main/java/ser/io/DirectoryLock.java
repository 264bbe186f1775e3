package ser.io;

import ser.SerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One job at a time in a directory (a run, a feature cache, an evaluation folder): an operating-system lock on
 * {@code DIR/.lock}, which holds the owner's pid for the message a second job gets.
 *
 * <p>The operating system drops the lock when the process ends, however it ends: a {@code .lock} file left behind
 * by a killed job ({@code kill -9}, a power cut) is simply lockable again, and is never deleted (deleting it would
 * let two jobs lock two different files of the same name). Taking the lock also removes the temporary files that
 * killed writers left in the directory ({@link StaleTemporaries}).
 *
 * <p>Within one JVM, the directories locked are also kept in a set and checked first: a second channel on the
 * same file would throw {@link OverlappingFileLockException} at best, and closing it could release the first
 * job's lock at worst (POSIX locks belong to the process, not the channel).
 */
public final class DirectoryLock implements AutoCloseable {

    public static final String FILE = ".lock";

    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created when missing) for this job, or throws a SerException naming it and the process
     * that holds it.
     */
    public static DirectoryLock take(Path dir) {
        Path key;
        try {
            Files.createDirectories(dir);
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new OutputException(dir, "cannot create: " + IoErrors.describe(e), e);
        }
        long self = ProcessHandle.current().pid();
        if (!HELD_HERE.add(key)) throw inUseHere(dir, self);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw inUseHere(dir, self); // locked through another channel of this JVM, outside this class
            }
            if (lock == null) throw new InUse(dir, "is in use by another ser process (pid " + owner(channel) + ")");
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((self + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            DirectoryLock taken = new DirectoryLock(key, channel, lock);
            channel = null;
            try {
                StaleTemporaries.clean(key);
            } catch (IOException e) {
                taken.close();
                throw new OutputException(dir, "cannot remove stale temporary files: " + IoErrors.describe(e), e);
            }
            return taken;
        } catch (IOException e) {
            throw new OutputException(dir.resolve(FILE), "cannot lock: " + IoErrors.describe(e), e);
        } finally {
            if (channel != null) {
                HELD_HERE.remove(key);
                closeQuietly(channel);
            }
        }
    }

    /** Releases the lock; the file stays (see the class comment). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        } finally {
            closeQuietly(channel);
            HELD_HERE.remove(key);
        }
    }

    private static SerException inUseHere(Path dir, long self) {
        return new InUse(dir, "is in use by another ser job of this process (pid " + self + ")");
    }

    /** The directory is locked by another job (of this process or another). */
    public static final class InUse extends SerException {
        InUse(Path dir, String problem) {
            super(dir + ": " + problem);
        }
    }

    /**
     * Locks {@code dir} as {@link #take} does, but waits while another job holds it, up to {@code patience}:
     * for a shared directory that jobs hold briefly, such as a feature cache that two training runs fill in turn.
     * {@code waiting} hears once, with the holder named, that this job waits.
     */
    public static DirectoryLock await(Path dir, java.time.Duration patience, java.util.function.Consumer<String> waiting) {
        long deadline = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            try {
                return take(dir);
            } catch (InUse e) {
                if (System.nanoTime() > deadline) throw e;
                if (!told) waiting.accept(e.getMessage() + "; waiting for it");
                told = true;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The pid the holder wrote, read through our own channel (another one could drop locks, see above). */
    private static String owner(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            int n = channel.read(buf, 0);
            String pid = n <= 0 ? "" : new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]+") ? pid : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to do with it.
        }
    }
}
