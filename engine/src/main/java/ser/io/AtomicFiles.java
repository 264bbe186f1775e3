package ser.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that either land completely or not at all: a reader (or a re-run after a crash) sees the old file or
 * the new one, never half of one.
 *
 * <p>The bytes go to a temporary file in the target's directory (same file system, so the rename is atomic),
 * are forced to disk, and the temporary file is renamed over the target; then the directory is forced so the
 * rename itself survives a power cut. A process killed mid-write leaves only a hidden {@code .NAME.*.tmp}
 * file behind, which nothing in the project reads.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** What writes the content; the stream is buffered and closed by {@link #write}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What writes the content straight into the file's channel (large, positioned or mapped writes). */
    @FunctionalInterface
    public interface ChannelBody {
        void writeTo(FileChannel out) throws IOException;
    }

    /**
     * Writes {@code target} atomically, creating missing parent directories. I/O failures throw
     * {@link OutputException}, so that callers can tell a full disk from a bad input.
     */
    public static void write(Path target, Body body) {
        writeChannel(target, channel -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            body.writeTo(out);
            out.flush();
        });
    }

    /** Like {@link #write(Path, Body)}, handing the body the temporary file's channel. */
    public static void writeChannel(Path target, ChannelBody body) {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its 0600 mode would stick to the finished file; createFile honours the umask.
            tmp = Files.createFile(dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                body.writeTo(channel);
                WriteFaults.check(target); // where a full disk shows: the bytes would not all fit
                channel.force(true);
            }
            moveAtomically(tmp, target);
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new OutputException(target, "cannot write: " + IoErrors.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure is the one worth reporting.
                }
            }
        }
    }

    /** Writes {@code text} as UTF-8, atomically. */
    public static void writeString(Path target, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems (a few network mounts) cannot; a plain replace is the best they offer.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Best effort: Linux can fsync a directory, other systems may refuse, and then there is nothing to do. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Not supported here (e.g. Windows); the data itself is already on disk.
        }
    }
}
