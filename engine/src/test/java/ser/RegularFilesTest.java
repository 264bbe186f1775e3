package ser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.audio.AudioReader;
import ser.config.ConfigNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What is not a regular file is called what it is, and never opened (a FIFO would block the read forever). */
class RegularFilesTest {

    @TempDir Path dir;

    private static String message(Runnable r) {
        return assertThrows(SerException.class, r::run).getMessage();
    }

    @Test
    void aFifoIsNamedAndNotOpened() throws Exception {
        Path fifo = dir.resolve("pipe.wav");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals(fifo + ": is a FIFO (named pipe), not a regular file", message(() -> AudioReader.read(fifo)));
            assertEquals(fifo + ": is a FIFO (named pipe), not a regular file", message(() -> ConfigNode.load(fifo)));
        });
    }

    @Test
    void symbolicLinkLoopsAndDanglingLinksAreNotNoSuchFile() throws IOException {
        Path a = dir.resolve("a.wav"), b = dir.resolve("b.wav");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        String loop = message(() -> AudioReader.read(a));
        assertTrue(loop.startsWith(a + ": is a symbolic link loop ("), loop);
        Path dangling = Files.createSymbolicLink(dir.resolve("c.wav"), dir.resolve("missing.wav"));
        assertEquals(dangling + ": is a symbolic link to nothing (its target '" + dir.resolve("missing.wav") + "' does not exist)",
                message(() -> AudioReader.read(dangling)));
        assertEquals(dir.resolve("none.wav") + ": no such file", message(() -> AudioReader.read(dir.resolve("none.wav"))));
    }
}
