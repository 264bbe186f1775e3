package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {

    @Test
    void replacesTheTargetWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/out.txt");
        AtomicFiles.write(file, out -> out.write("first".getBytes()));
        AtomicFiles.write(file, out -> out.write("second".getBytes()));
        assertEquals("second", Files.readString(file));
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndCleansUp(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.bin");
        Files.writeString(file, "good");
        SerException e = assertThrows(SerException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals(file + ": cannot write: disk full", e.getMessage());
        assertEquals("good", Files.readString(file));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count());
        }
    }
}
