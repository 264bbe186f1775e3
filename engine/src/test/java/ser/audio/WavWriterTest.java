package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {

    @TempDir Path dir;

    @Test
    void pcm16HeaderAndSamplesByteForByte() throws IOException {
        Path file = dir.resolve("a.wav");
        WavWriter.writePcm16(file, new float[] {0.5f, -1f, 1f, 1.5f, -2f, 0x1p-16f}, 16000);
        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(44 + 12, wav.limit());
        assertEquals(wav.limit() - 8, wav.getInt(4));
        assertEquals(1, wav.getShort(20));          // PCM
        assertEquals(1, wav.getShort(22));          // mono
        assertEquals(16000, wav.getInt(24));
        assertEquals(32000, wav.getInt(28));        // byte rate
        assertEquals(2, wav.getShort(32));          // block align
        assertEquals(16, wav.getShort(34));
        assertEquals(12, wav.getInt(40));           // data bytes
        // Full scale is 32768; what does not fit is clipped; half a step rounds away from zero.
        short[] expected = {16384, -32768, 32767, 32767, -32768, 1};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], wav.getShort(44 + 2 * i), "sample " + i);
    }

    @Test
    void float32RoundTripsExactlyWithItsFactChunk() throws IOException {
        float[] samples = {0.1f, -3.5f, Float.MIN_VALUE, 1f};
        Path file = dir.resolve("f.wav");
        WavWriter.writeFloat32(file, samples, 24000);
        ByteBuffer wav = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);

        assertEquals(3, wav.getShort(20));                        // IEEE float
        assertEquals("fact", new String(Files.readAllBytes(file), 38, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(samples.length, wav.getInt(46));             // frames in the fact chunk
        WavAudio audio = WavReader.read(file);
        assertEquals(24000, audio.sampleRate());
        assertArrayEquals(samples, audio.channels()[0]);
    }
}
