package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsRefusedWithThePidOfTheFirstAndAKilledHolderLeavesALockableFile() throws Exception {
        Path run = dir.resolve("run");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldDirectoryLock.class.getName(), run.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", said.readLine());
            SerException e = assertThrows(SerException.class, () -> DirectoryLock.take(run));
            assertEquals(run + ": is in use by another ser process (pid " + holder.pid() + ")", e.getMessage());
        } finally {
            holder.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // kill -9: no chance to clean up
        }
        assertTrue(Files.exists(run.resolve(DirectoryLock.FILE)), "the killed holder's lock file is still there");
        try (DirectoryLock again = DirectoryLock.take(run)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(run.resolve(DirectoryLock.FILE)));
        }
    }

    @Test
    void aSecondJobOfThisProcessIsRefusedTooAndMayLockOnceTheFirstIsDone() {
        Path run = dir.resolve("run");
        try (DirectoryLock first = DirectoryLock.take(run)) {
            SerException e = assertThrows(SerException.class, () -> DirectoryLock.take(run));
            assertEquals(run + ": is in use by another ser job of this process (pid " + ProcessHandle.current().pid() + ")",
                    e.getMessage());
            assertThrows(SerException.class, () -> DirectoryLock.take(dir.resolve("x/../run")), "the same folder by another name");
        }
        DirectoryLock.take(run).close();
    }

    @Test
    void awaitWaitsForTheHolderAndGivesUpAfterItsPatience() throws Exception {
        Path cache = dir.resolve("cache");
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        DirectoryLock first = DirectoryLock.take(cache);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(1200);
            } catch (InterruptedException ignored) {
                // released below either way
            }
            first.close();
        });
        long start = System.nanoTime();
        releaser.start();
        try (DirectoryLock second = DirectoryLock.await(cache, java.time.Duration.ofSeconds(30), heard::add)) {
            assertTrue(System.nanoTime() - start >= 1_000_000_000L, "it waited for the first job");
        }
        releaser.join();
        assertEquals(1, heard.size(), "told once: " + heard);
        assertTrue(heard.getFirst().startsWith(cache + ": is in use by another ser job of this process"), heard.getFirst());

        try (DirectoryLock held = DirectoryLock.take(cache)) {
            assertThrows(DirectoryLock.InUse.class, () -> DirectoryLock.await(cache, java.time.Duration.ofMillis(600), m -> { }));
        }
    }

    @Test
    void aLockTakenThroughAnotherChannelOfThisJvmIsRespected() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        try (FileChannel other = FileChannel.open(run.resolve(DirectoryLock.FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock held = other.lock()) {
            SerException e = assertThrows(SerException.class, () -> DirectoryLock.take(run));
            assertTrue(e.getMessage().startsWith(run + ": is in use by another ser job of this process"), e.getMessage());
        }
    }

    @Test
    void takingTheLockRemovesTemporariesThatKilledWritersLeft() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run/checkpoints"));
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        Path stale = Files.writeString(run.resolve(".last.safetensors.k3j2h1.tmp"), "half");
        Path mine = Files.writeString(run.resolve("notes.tmp"), "a user's file, not one of ours");
        Path eval = Files.createDirectories(dir.resolve("run/eval-test"));
        Files.createFile(eval.resolve(DirectoryLock.FILE));
        Path others = Files.writeString(eval.resolve(".metrics.json.abc.tmp"), "another job's folder");
        for (Path p : List.of(stale, mine, others)) Files.setLastModifiedTime(p, old);
        Path fresh = Files.writeString(dir.resolve("run/.labels.json.zz9.tmp"), "written after this process started");

        DirectoryLock.take(dir.resolve("run")).close();
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(mine));
        assertTrue(Files.exists(others), "a folder with its own lock is left to its own job");
        assertTrue(Files.exists(fresh));
    }
}
