package ser.data;

import ser.SerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;

/**
 * What the feature cache remembers of an audio file to notice that it changed: its size and last-modified time,
 * as precise as the file system keeps it. Cheap (one stat, no reading), and any rewrite of the file changes the
 * time, even when the new content has the same length.
 */
public record SourceStamp(long bytes, Instant modified) {

    /** The stamp of {@code audio} now; a file that cannot be looked at is a bad input, like one that cannot be read. */
    public static SourceStamp of(Path audio) {
        try {
            BasicFileAttributes a = Files.readAttributes(audio, BasicFileAttributes.class);
            return new SourceStamp(a.size(), a.lastModifiedTime().toInstant());
        } catch (IOException e) {
            throw SerException.inFile(audio, "cannot read (" + e.getMessage() + ")", e);
        }
    }
}
