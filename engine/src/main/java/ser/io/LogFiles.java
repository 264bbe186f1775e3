package ser.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends to logs: not atomic (a log may end mid-line after a kill), but a failed append stops the job. */
public final class LogFiles {

    private LogFiles() {}

    /** Appends {@code text} as UTF-8, creating the file and its directory when missing. */
    public static void append(Path file, String text) {
        try {
            WriteFaults.check(file);
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) Files.createDirectories(dir);
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new OutputException(file, "cannot append: " + IoErrors.describe(e), e);
        }
    }
}
