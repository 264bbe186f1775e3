package ser.io;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Removes the hidden {@code .NAME.RANDOM.tmp} files that {@link AtomicFiles} leaves when its process is killed
 * mid-write. Called by whoever has just taken a directory's {@link DirectoryLock}, so no other job writes there;
 * still, only files older than this process are removed, and folders with a lock of their own (an evaluation
 * folder inside a run) are left to whoever locks them.
 */
final class StaleTemporaries {

    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-z]{1,13}\\.tmp");

    private StaleTemporaries() {}

    static void clean(Path dir) throws IOException {
        Instant started = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                return d.equals(dir) || !Files.exists(d.resolve(DirectoryLock.FILE)) ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && TEMPORARY.matcher(f.getFileName().toString()).matches()
                        && attrs.lastModifiedTime().toInstant().isBefore(started)) {
                    Files.deleteIfExists(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: not ours to worry about
            }
        });
    }
}
