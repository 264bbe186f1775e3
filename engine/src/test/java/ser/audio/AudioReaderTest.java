package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ser.audio.AiffBytes.aiff;
import static ser.audio.AiffBytes.chunk;
import static ser.audio.AiffBytes.comm;
import static ser.audio.AiffBytes.pcm;
import static ser.audio.AiffBytes.ssnd;
import static ser.audio.WavBytes.ascii;
import static ser.audio.WavBytes.concat;
import static ser.audio.WavBytes.write;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

/** The reader is chosen by the first bytes, whatever the file's name says. */
class AudioReaderTest {

    @TempDir Path dir;

    @Test
    void anAiffNamedWavIsReadAsAiff() {
        Path file = write(dir, "03a01Fa.wav", aiff(chunk("COMM", comm(1, 3, 16, 16000)), chunk("SSND", ssnd(pcm(16, 16384, -16384, 0)))));
        assertArrayEquals(new float[] {0.5f, -0.5f, 0}, AudioReader.read(file).channels()[0]);
        assertArrayEquals(new float[] {0.5f, -0.5f, 0}, AudioLoader.loadMono(file, 16000));
    }

    @Test
    void aWavNamedAiffIsReadAsWav() {
        Path file = dir.resolve("clip.aiff");
        WavWriter.writePcm16(file, new float[] {0.25f, -0.25f}, 8000);
        assertEquals(8000, AudioReader.read(file).sampleRate());
        assertArrayEquals(new float[] {0.25f, -0.25f}, AudioReader.read(file).channels()[0]);
    }

    private void assertRejected(Path file, String phrase) {
        SerException e = assertThrows(SerException.class, () -> AudioReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(phrase), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anythingElseIsOneLineNamingWhatItStartsWith() {
        assertRejected(write(dir, "notes.wav", ascii("hello, world\n")), "not a WAV or AIFF file (starts with 'hell')");
        assertRejected(write(dir, "song.wav", concat(ascii("fLaC"), new byte[20])), "not a WAV or AIFF file: looks like FLAC");
        assertRejected(write(dir, "empty.aiff", new byte[0]), "empty file, not a WAV or AIFF file");
        assertRejected(write(dir, "big.wav", concat(ascii("RF64"), new byte[8])), "unsupported RF64 container");
        assertRejected(dir.resolve("absent.wav"), "no such file");
        assertRejected(dir, "is a directory");
    }

    @Test
    void audioExtensionsInAnyCase() {
        for (String name : new String[] {"a.wav", "b.WAV", "c.aif", "d.AIFF", "e.aifc", "f.AiFc"}) {
            assertTrue(AudioReader.hasAudioExtension(Path.of("x", name)), name);
        }
        for (String name : new String[] {"a.mp3", "b.txt", "wav", "c.aiffx"}) {
            assertFalse(AudioReader.hasAudioExtension(Path.of("x", name)), name);
        }
    }
}
