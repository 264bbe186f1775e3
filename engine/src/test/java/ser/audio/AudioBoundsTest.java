package ser.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ser.audio.WavBytes.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

/** Small files that would decode into huge or meaningless samples are refused before anything is allocated. */
class AudioBoundsTest {

    @TempDir Path dir;

    private static String message(Runnable r) {
        return assertThrows(SerException.class, r::run).getMessage();
    }

    @Test
    void aFortyKilobyteFileAtOneHertzIsRefusedNotResampledIntoGigabytes() {
        Path file = write(dir, "1hz.wav", riff(chunk("fmt ", fmt(PCM, 1, 1, 16)), chunk("data", new byte[40_000])));
        assertEquals(file + ": absurd sample rate 1 Hz (expected 1000..1000000)",
                message(() -> AudioLoader.loadMono(file, 16000)));
        Path slow = write(dir, "999hz.wav", riff(chunk("fmt ", fmt(PCM, 1, 999, 16)), chunk("data", new byte[400])));
        assertTrue(message(() -> AudioLoader.loadMono(slow, 16000)).contains("absurd sample rate 999 Hz"));
        Path lowest = write(dir, "1000hz.wav", riff(chunk("fmt ", fmt(PCM, 1, 1000, 16)), chunk("data", new byte[400])));
        assertEquals(3200, AudioLoader.loadMono(lowest, 16000).length);
    }

    @Test
    void resamplingUpIsBoundedByTheHeapAsDecodingIs() {
        Path file = Path.of("long.wav");
        long heap = Runtime.getRuntime().maxMemory();
        long frames = heap / Float.BYTES / 3 / 16 + 1000; // fits decoded, not once 16 times longer
        String m = message(() -> AudioLoader.checkResampledFits(file, frames, 1000, 16000));
        assertTrue(m.startsWith(file + ": too large to resample: " + frames + " samples at 1000 Hz become "), m);
        AudioLoader.checkResampledFits(file, 16000, 1000, 16000);
        String overflow = message(() -> AudioLoader.checkResampledFits(file, Integer.MAX_VALUE / 2, 1000, 48000));
        assertTrue(overflow.contains("too large to resample"), overflow);
    }

    @Test
    void decodingMayUseAThirdOfTheHeapNotHalf() {
        Path file = Path.of("big.wav");
        long heap = Runtime.getRuntime().maxMemory();
        long frames = heap / 2 / Float.BYTES / 2 - 1000; // just under half the heap: passed the old half-heap check
        if (frames < Integer.MAX_VALUE - 8) {
            String m = message(() -> AudioFileIo.checkFitsInMemory(file, frames, 2));
            assertTrue(m.contains("decoding takes about 3 times that"), m);
        }
        AudioFileIo.checkFitsInMemory(file, heap / Float.BYTES / 4, 1);
    }

    @Test
    void nanOrInfiniteFloatSamplesAreRefusedNamingTheFirst() {
        Path nan = write(dir, "nan.wav", riff(chunk("fmt ", fmt(FLOAT, 1, 16000, 32)),
                chunk("data", float32(0.1f, 0.2f, -0.1f, Float.NaN, 0.5f))));
        assertEquals(nan + ": sample 3 is NaN: float audio must hold finite samples (damaged file?)",
                message(() -> AudioReader.read(nan)));
        Path inf = write(dir, "inf.wav", riff(chunk("fmt ", fmt(FLOAT, 2, 16000, 64)),
                chunk("data", float64(0, 0, 0.1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0))));
        assertEquals(inf + ": sample 1 of channel 1 is -infinity: float audio must hold finite samples (damaged file?)",
                message(() -> AudioReader.read(inf)));
        // a double too large for a float is an infinity once decoded
        Path huge = write(dir, "huge.wav", riff(chunk("fmt ", fmt(FLOAT, 1, 16000, 64)), chunk("data", float64(0, 1e300))));
        assertTrue(message(() -> AudioReader.read(huge)).contains("sample 1 is +infinity"));
        Path fine = write(dir, "fine.wav", riff(chunk("fmt ", fmt(FLOAT, 1, 16000, 32)), chunk("data", float32(0.5f, 2f))));
        assertEquals(2, AudioReader.read(fine).frames());
    }
}
