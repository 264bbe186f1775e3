package ser.synth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticCorpusTest {

    private static final List<String> EMOTIONS = List.of("NEU", "ANG", "SAD");

    @Test
    void writesOneCremaDNamedWavPerClipAndAReadme(@TempDir Path dir) throws IOException {
        List<Path> files = SyntheticCorpus.generate(dir, 2, 2, EMOTIONS, 11, 0.25);

        assertEquals(2 * 3 * 2, files.size());
        assertEquals(Path.of("1001_SYN00_NEU_XX.wav"), dir.relativize(files.getFirst()));
        assertEquals(Path.of("1002_SYN01_SAD_XX.wav"), dir.relativize(files.getLast()));
        try (Stream<Path> listing = Files.list(dir)) {
            assertEquals(files.size() + 1, listing.count(), "clips and README.txt, nothing else");
        }
        for (Path file : files) {
            assertTrue(file.getFileName().toString().matches("100[12]_SYN0[01]_(NEU|ANG|SAD)_XX\\.wav"), file.toString());
        }
        String readme = Files.readString(dir.resolve("README.txt"));
        assertTrue(readme.startsWith("SYNTHETIC"), readme);
        assertTrue(readme.contains("seed: 11"), readme);
        assertTrue(readme.contains("emotions: NEU ANG SAD"), readme);
    }

    @Test
    void wavFilesAre16kHzMono16BitWithTheRequestedLength(@TempDir Path dir) throws IOException {
        Path file = SyntheticCorpus.generate(dir, 1, 1, List.of("HAP"), 3, 0.3).getFirst();
        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals("RIFF", ascii(wav, 0));
        assertEquals(wav.capacity() - 8, wav.getInt(4));
        assertEquals("WAVEfmt ", ascii(wav, 8) + ascii(wav, 12));
        assertEquals(1, wav.getShort(20), "PCM");
        assertEquals(1, wav.getShort(22), "channels");
        assertEquals(16_000, wav.getInt(24));
        assertEquals(16, wav.getShort(34), "bits per sample");
        assertEquals("data", ascii(wav, 36));
        assertEquals(4800 * 2, wav.getInt(40));
        assertEquals(44 + 4800 * 2, wav.capacity());
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedDifferentOnes(@TempDir Path dir) throws IOException {
        List<Path> first = SyntheticCorpus.generate(dir.resolve("a"), 2, 2, EMOTIONS, 42, 0.2);
        List<Path> again = SyntheticCorpus.generate(dir.resolve("b"), 2, 2, EMOTIONS, 42, 0.2);
        List<Path> other = SyntheticCorpus.generate(dir.resolve("c"), 2, 2, EMOTIONS, 43, 0.2);
        for (int i = 0; i < first.size(); i++) {
            byte[] bytes = Files.readAllBytes(first.get(i));
            assertArrayEquals(bytes, Files.readAllBytes(again.get(i)), first.get(i).getFileName().toString());
            assertFalse(Arrays.equals(bytes, Files.readAllBytes(other.get(i))), other.get(i).getFileName().toString());
        }
        assertEquals(Files.readString(dir.resolve("a/README.txt")), Files.readString(dir.resolve("b/README.txt")));
    }

    @Test
    void everyClipOfACorpusIsDifferent(@TempDir Path dir) throws IOException {
        List<Path> files = SyntheticCorpus.generate(dir, 2, 2, EMOTIONS, 5, 0.2);
        List<String> contents = files.stream().map(SyntheticCorpusTest::readBytes).map(Arrays::toString).toList();
        assertEquals(files.size(), contents.stream().distinct().count());
    }

    @Test
    void wideCorporaPadTheClipIndexSoNamesSortInOrder() {
        assertEquals("1003_SYN007_FEA_XX.wav", SyntheticCorpus.fileName(1003, "FEA", 7, 120));
        assertEquals("1001_SYN07_ANG_XX.wav", SyntheticCorpus.fileName(1001, "ANG", 7, 12));
    }

    @Test
    void badRequestsAreOneLineUserErrors(@TempDir Path dir) throws IOException {
        assertTrue(assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 1, 1, List.of("JOY"), 1, 1))
                .getMessage().contains("unknown synthetic emotion 'JOY'"));
        assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 0, 1, EMOTIONS, 1, 1));
        assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 1, 0, EMOTIONS, 1, 1));
        assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 1, 1, List.of(), 1, 1));
        assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 1, 1, EMOTIONS, 1, 0));
        assertThrows(SerException.class, () -> SyntheticCorpus.generate(dir, 1, 1, EMOTIONS, 1, Double.NaN));
        Path aFile = Files.writeString(dir.resolve("not-a-dir"), "x");
        SerException e = assertThrows(SerException.class, () -> SyntheticCorpus.generate(aFile, 1, 1, EMOTIONS, 1, 1));
        assertTrue(e.getMessage().startsWith(aFile.toString()), e.getMessage());
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ascii(ByteBuffer buf, int offset) {
        byte[] four = new byte[4];
        buf.get(offset, four);
        return new String(four, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
