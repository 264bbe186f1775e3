package ser;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Says what a path is when a regular file was expected, before it is opened. Opening a FIFO for reading blocks
 * until something writes to it, which is a hang, and "no such file" for a FIFO, a device or a symbolic link loop
 * sends the user looking for a file that is right there.
 */
public final class RegularFiles {

    private RegularFiles() {}

    /** {@code file}, when it is a regular file (through any symbolic links); else a SerException saying what it is. */
    public static Path require(Path file) {
        if (Files.isRegularFile(file)) return file;
        throw SerException.inFile(file, describe(file));
    }

    /**
     * Refuses, saying what it is, a path that exists but is not a regular file (a FIFO, a device, a dangling link
     * or a link loop); a path that does not exist is left to the opener's own "no such file".
     */
    public static void checkBeforeOpening(Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            throw SerException.inFile(file, describe(file));
        }
    }

    /** What {@code path} is, for a message about a path that is not a regular file: "no such file", "is a FIFO ...". */
    public static String describe(Path path) {
        BasicFileAttributes own;
        try {
            own = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return "no such file";
        } catch (IOException e) {
            return "cannot read: " + reason(e);
        }
        if (own.isSymbolicLink()) {
            try {
                path.toRealPath();
            } catch (NoSuchFileException e) {
                return "is a symbolic link to nothing (its target " + target(path) + " does not exist)";
            } catch (FileSystemException e) {
                String reason = reason(e);
                return reason.toLowerCase(java.util.Locale.ROOT).contains("symbolic links")
                        ? "is a symbolic link loop (" + reason + ")" : "cannot follow the symbolic link: " + reason;
            } catch (IOException e) {
                return "cannot follow the symbolic link: " + reason(e);
            }
        }
        if (Files.isDirectory(path)) return "is a directory, not a file";
        return "is " + special(path) + ", not a regular file";
    }

    /** "a FIFO (named pipe)", "a socket", "a character device", "a block device", or "a special file". */
    private static String special(Path path) {
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static String target(Path link) {
        try {
            return SerException.quote(Files.readSymbolicLink(link));
        } catch (IOException e) {
            return "?";
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
