package ser.io;

import ser.SerException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes that either land whole or not at all: the bytes go to a temporary file beside the target, are
 * flushed to disk, and the temporary file is renamed over the target. A crash or a full disk half-way leaves
 * the previous file (checkpoint, metrics) intact instead of a truncated one that fails to load next time.
 */
public final class AtomicFiles {

    /** What fills the file; it may throw {@link IOException}. */
    @FunctionalInterface
    public interface Filler {
        void fill(FileChannel out) throws IOException;
    }

    /** Fills an output stream instead of a channel. */
    @FunctionalInterface
    public interface StreamFiller {
        void fill(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    public static void write(Path target, StreamFiller filler) {
        writeChannel(target, channel -> {
            OutputStream out = Channels.newOutputStream(channel);
            filler.fill(out);
            out.flush();
        });
    }

    /** Creates the parent directories, fills a temporary file through {@code filler}, then renames it into place. */
    public static void writeChannel(Path target, Filler filler) {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                filler.fill(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING); // exotic file systems only
            }
            temp = null;
        } catch (IOException e) {
            throw SerException.inFile(target, "cannot write: " + IoErrors.describe(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one worth reporting
                }
            }
        }
    }
}
