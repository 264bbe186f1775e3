package ser.audio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static ser.audio.WavBytes.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

/** Each way a file can be bad gives a one-line SerException that names the file and the problem. */
class WavReaderErrorsTest {

    @TempDir Path dir;

    private static final byte[] FMT16 = chunk("fmt ", fmt(PCM, 1, 16000, 16));

    private void assertRejected(String name, byte[] bytes, String phrase) {
        assertRejected(write(dir, name, bytes), phrase);
    }

    private static void assertRejected(Path file, String phrase) {
        SerException e = assertThrows(SerException.class, () -> WavReader.read(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        assertTrue(message.contains(phrase), "'" + phrase + "' in: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void missingFile() {
        assertRejected(dir.resolve("absent.wav"), "no such file");
    }

    @Test
    void directory() {
        assertRejected(dir, "is a directory");
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = write(dir, "locked.wav", riff(FMT16, chunk("data", pcm(16, 1))));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as root: permissions do not stop reads");
        assertRejected(file, "permission denied");
    }

    @Test
    void notRiffWave() {
        assertRejected("empty.wav", new byte[0], "empty file");
        assertRejected("text.wav", ascii("hello, world\n"), "not a RIFF/WAVE file (starts with 'hell')");
        assertRejected("song.wav", concat(ascii("ID3\4"), new byte[20]), "looks like MP3");
        assertRejected("lossless.wav", concat(ascii("fLaC"), new byte[20]), "looks like FLAC");
        assertRejected("movie.wav", concat(ascii("RIFF"), u32(4), ascii("AVI ")), "RIFF form type 'AVI '");
        assertRejected("big.wav", concat(ascii("RF64"), u32(0xFFFFFFFFL), ascii("WAVE")), "unsupported RF64 container");
        assertRejected("mac.wav", concat(ascii("RIFX"), u32(4), ascii("WAVE")), "big-endian RIFX");
    }

    @Test
    void truncatedHeader() {
        assertRejected("short.wav", ascii("RIFF\0\0\0"), "truncated header: 7 bytes");
    }

    @Test
    void missingChunks() {
        assertRejected("nofmt.wav", riff(chunk("data", pcm(16, 1, 2))), "no fmt chunk");
        assertRejected("nodata.wav", riff(FMT16, chunk("LIST", ascii("INFO"))), "no data chunk");
        assertRejected("bare.wav", riff(), "no fmt chunk");
    }

    @Test
    void truncatedChunks() {
        assertRejected("fmt14.wav", riff(chunk("fmt ", new byte[14]), chunk("data", pcm(16, 1))),
                "truncated fmt chunk: 14 bytes, needs at least 16");
        assertRejected("fmtcut.wav", riff(chunkClaiming("fmt ", 16, new byte[10])),
                "truncated fmt chunk: header says 16 bytes, file has 10");
        assertRejected("ext18.wav", riff(chunk("fmt ", concat(fmt(EXTENSIBLE, 1, 16000, 16), new byte[2])),
                chunk("data", pcm(16, 1))), "WAVE_FORMAT_EXTENSIBLE needs 40 bytes, has 18");
        assertRejected("datacut.wav", riff(FMT16, chunkClaiming("data", 96000, pcm(16, 1, 2))),
                "truncated data chunk: header says 96000 bytes, file has 4");
        assertRejected("listcut.wav", riff(FMT16, chunkClaiming("LIST", 5000, ascii("INFO"))),
                "truncated chunk 'LIST' at byte 36: header says 5000 bytes, file has 4");
    }

    @Test
    void unsupportedCodecsAreNamed() {
        assertRejected("ulaw.wav", codec(7, 8), "unsupported codec mu-law (format tag 0x0007)");
        assertRejected("alaw.wav", codec(6, 8), "unsupported codec A-law (format tag 0x0006)");
        assertRejected("msadpcm.wav", codec(2, 4), "unsupported codec Microsoft ADPCM (format tag 0x0002)");
        assertRejected("imaadpcm.wav", codec(0x11, 4), "unsupported codec IMA ADPCM (format tag 0x0011)");
        assertRejected("mp3.wav", codec(0x55, 0), "unsupported codec MPEG Layer III (MP3) (format tag 0x0055)");
        assertRejected("odd.wav", codec(0x1234, 16), "unsupported codec unknown (format tag 0x1234)");
        assertRejected("extulaw.wav", riff(chunk("fmt ", fmtExtensible(1, 8000, 8, 8, 7)), chunk("data", pcm(8, 1))),
                "unsupported codec mu-law");
        byte[] alienGuid = fmtExtensible(1, 8000, 16, 16, PCM);
        alienGuid[39] = 0x42;
        assertRejected("guid.wav", riff(chunk("fmt ", alienGuid), chunk("data", pcm(16, 1))),
                "unsupported WAVE_FORMAT_EXTENSIBLE subformat {00000001-0000-0010-8000-00AA00389B42}");
        assertRejected("pcm12.wav", codec(PCM, 12), "unsupported PCM sample size: 12 bits");
        assertRejected("half.wav", codec(FLOAT, 16), "unsupported float sample size: 16 bits");
    }

    private static byte[] codec(int tag, int bits) {
        return riff(chunk("fmt ", fmt(tag, 1, 8000, Math.max(1, bits / 8), bits)), chunk("data", new byte[64]));
    }

    @Test
    void aChunkIdThatIsNotTextIsCalledADamagedHeader() {
        byte[] garbage = concat(new byte[] {0, 'd', 'a', 't'}, u32(4), new byte[4]);
        assertRejected("garbage.wav", riff(FMT16, garbage, chunk("data", pcm(16, 1))),
                "damaged chunk header at byte 36: id '\\x00dat' is not text (a damaged file, or a writer that left out the pad byte");
    }

    @Test
    void zeroSamples() {
        assertRejected("nothing.wav", riff(FMT16, chunk("data", new byte[0])), "zero samples: data chunk holds 0 bytes");
        assertRejected("halfframe.wav", riff(chunk("fmt ", fmt(PCM, 2, 16000, 16)), chunk("data", new byte[3])),
                "zero samples: data chunk holds 3 bytes, one frame is 4");
    }

    @Test
    void absurdFormats() {
        byte[] data = chunk("data", new byte[8]);
        assertRejected("ch0.wav", riff(chunk("fmt ", fmt(PCM, 0, 16000, 16)), data), "absurd channel count 0");
        assertRejected("ch2000.wav", riff(chunk("fmt ", fmt(PCM, 2000, 16000, 16)), data), "absurd channel count 2000");
        assertRejected("sr0.wav", riff(chunk("fmt ", fmt(PCM, 1, 0, 16)), data), "absurd sample rate 0 Hz (expected 1000..1000000)");
        assertRejected("sr2m.wav", riff(chunk("fmt ", fmt(PCM, 1, 2_000_000, 16)), data), "absurd sample rate 2000000 Hz");
        assertRejected("align.wav", riff(chunk("fmt ", fmt(PCM, 2, 16000, 3, 16)), data),
                "inconsistent block align: fmt says 3 bytes, 2 channels of 16 bits need 4");
        assertRejected("valid.wav", riff(chunk("fmt ", fmtExtensible(1, 16000, 16, 24, PCM)), data),
                "24 valid bits in a 16-bit sample");
    }

    @Test
    void refusesToDecodeMoreThanTheHeapHoldsBeforeAllocating() throws IOException {
        // 1.5 GB of 8-bit streaming data in a sparse file: 6 GB of floats once decoded.
        Path file = write(dir, "huge.wav", riff(chunk("fmt ", fmt(PCM, 1, 16000, 8)), chunkClaiming("data", 0xFFFFFFFFL, new byte[0])));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1_500_000_000L);
        }
        assumeFalse(Runtime.getRuntime().maxMemory() > 12_000_000_000L, "heap large enough to decode it");
        assertRejected(file, "too large to decode: 1499999956 frames");
    }
}
