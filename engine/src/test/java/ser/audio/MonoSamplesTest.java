package ser.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Any range read from a streamed file is exactly that range of the whole file's {@link AudioLoader#loadMono}. */
class MonoSamplesTest {

    @TempDir
    Path dir;

    private static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.2 * (r.nextDouble() - 0.5));
        return x;
    }

    private static Path stereo(Path file, float[] left, float[] right, int rate) throws IOException {
        int frames = left.length;
        ByteBuffer b = ByteBuffer.allocate(44 + frames * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * 4).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(rate)
                .putInt(rate * 4).putShort((short) 4).putShort((short) 16)
                .put("data".getBytes()).putInt(frames * 4);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) Math.round(left[i] * 32767)).putShort((short) Math.round(right[i] * 32767));
        }
        return Files.write(file, b.array());
    }

    private static void assertRangesMatch(Path file, int rate) {
        float[] whole = AudioLoader.loadMono(file, rate);
        try (MonoSamples s = MonoSamples.open(file, rate)) {
            assertTrue(s.streamed());
            assertEquals(whole.length, s.length());
            SplittableRandom r = new SplittableRandom(file.hashCode());
            float[] into = new float[whole.length];
            // The ends, the whole, and random ranges in random order (the source keeps no position).
            long[][] ranges = {{0, whole.length}, {0, 1}, {whole.length - 1, 1}, {0, Math.min(17, whole.length)},
                    {Math.max(0, whole.length - 300), Math.min(300, whole.length)}, {whole.length / 2, 0}};
            for (long[] range : ranges) check(s, whole, into, (int) range[0], (int) range[1]);
            for (int i = 0; i < 50; i++) {
                int from = r.nextInt(whole.length), count = r.nextInt(whole.length - from + 1);
                check(s, whole, into, from, count);
            }
        }
    }

    private static void check(MonoSamples s, float[] whole, float[] into, int from, int count) {
        s.read(from, count, into);
        assertArrayEquals(Arrays.copyOfRange(whole, from, from + count), Arrays.copyOf(into, count),
                "samples [" + from + ", " + (from + count) + ")");
    }

    @Test
    void rangesAreTheWholeFilesBitsAtItsOwnRateAndResampled() throws IOException {
        for (int rate : new int[] {16000, 8000, 22050, 44100, 48000}) {
            Path wav = dir.resolve("m" + rate + ".wav");
            WavWriter.writePcm16(wav, noise(rate + 123, rate), rate);
            assertRangesMatch(wav, 16000);
            Path shortWav = dir.resolve("s" + rate + ".wav");
            WavWriter.writePcm16(shortWav, noise(7, rate + 1), rate);
            assertRangesMatch(shortWav, 16000);
        }
    }

    @Test
    void stereoAndFloatAreMixedDownAsTheWholeFilePathDoes() throws IOException {
        assertRangesMatch(stereo(dir.resolve("st.wav"), noise(30_000, 1), noise(30_000, 2), 22050), 16000);
        Path f = dir.resolve("f.wav");
        WavWriter.writeFloat32(f, noise(30_000, 3), 16000);
        assertRangesMatch(f, 16000);
    }

    @Test
    void rangesOutsideTheSignalAreRefused() throws IOException {
        // AIFF is streamed too (AiffStreamTest); a damaged one fails as the whole-file reader does.
        Path aiff = Files.write(dir.resolve("a.aiff"), new byte[] {'F', 'O', 'R', 'M', 0, 0, 0, 4, 'A', 'I', 'F', 'F'});
        SerException streamed = assertThrows(SerException.class, () -> MonoSamples.open(aiff, 16000));
        assertEquals(assertThrows(SerException.class, () -> AudioLoader.loadMono(aiff, 16000)).getMessage(), streamed.getMessage());
        Path wav = dir.resolve("w.wav");
        WavWriter.writePcm16(wav, noise(100, 5), 16000);
        try (MonoSamples s = MonoSamples.open(wav, 16000)) {
            assertThrows(IndexOutOfBoundsException.class, () -> s.read(90, 11, new float[11]));
            assertThrows(IndexOutOfBoundsException.class, () -> s.read(-1, 1, new float[1]));
        }
        try (MonoSamples s = MonoSamples.of(wav, noise(10, 1))) {
            assertFalse(s.streamed());
            assertEquals(10, s.length());
        }
    }
}
