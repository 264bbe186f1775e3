package ser.io;

import java.io.IOException;
import java.nio.file.Path;

/** A second process for lock tests: takes the lock of {@code args[0]}, says "locked", holds it until stdin closes. */
public final class HoldDirectoryLock {

    private HoldDirectoryLock() {}

    public static void main(String[] args) throws IOException {
        try (DirectoryLock lock = DirectoryLock.take(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait for the parent to close our stdin (or kill us).
            }
        }
    }
}
