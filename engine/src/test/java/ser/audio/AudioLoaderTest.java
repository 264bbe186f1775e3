package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static ser.audio.WavBytes.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

class AudioLoaderTest {

    @TempDir Path dir;

    @Test
    void stereoFloatAt48kBecomesMonoAt16k() {
        // Left carries the tone at twice its level, right carries silence: the mean is the unit tone.
        float[] tone = Signals.tone(500, 48000, 4800);
        float[] interleaved = new float[2 * tone.length];
        for (int i = 0; i < tone.length; i++) interleaved[2 * i] = 2 * tone[i];
        Path file = write(dir, "stereo.wav", riff(chunk("fmt ", fmt(FLOAT, 2, 48000, 32)), chunk("data", float32(interleaved))));

        float[] mono = AudioLoader.loadMono(file, 16000);

        assertEquals(1600, mono.length);
        for (int n = 200; n < 1400; n++) assertEquals(Math.sin(2 * Math.PI * 500 * n / 16000), mono[n], 1e-4, "sample " + n);
    }

    @Test
    void atTheTargetRateSamplesComeThroughUntouched() {
        float[] samples = {0.5f, -0.25f, 0f, 0x1p-15f};
        Path file = dir.resolve("same.wav");
        WavWriter.writePcm16(file, samples, 16000);
        assertArrayEquals(samples, AudioLoader.loadMono(file, 16000));
    }

    @Test
    void badFilesSurfaceAsSerException() {
        Path file = write(dir, "ulaw.wav", riff(chunk("fmt ", fmt(7, 1, 8000, 8)), chunk("data", new byte[8])));
        SerException e = assertThrows(SerException.class, () -> AudioLoader.loadMono(file, 16000));
        assertTrue(e.getMessage().contains("ulaw.wav") && e.getMessage().contains("mu-law"), e.getMessage());
    }

    @Test
    void padOrTrimPadsAndTrimsAtTheEnd() {
        assertArrayEquals(new float[] {1, 2, 0, 0}, AudioLoader.padOrTrim(new float[] {1, 2}, 4));
        assertArrayEquals(new float[] {1, 2}, AudioLoader.padOrTrim(new float[] {1, 2, 3}, 2));
    }

    /** The first RAVDESS clip of the shared 16 kHz copy has the length its manifest gives (to the millisecond). */
    @Test
    void sharedRavdessClipMatchesItsManifest() throws IOException {
        Path corpus = Path.of(System.getProperty("ser.shared", "/work/shared"), "data", "ravdess-16k");
        Path manifest = corpus.resolve("manifest.csv");
        assumeTrue(Files.isRegularFile(manifest), "no shared RAVDESS copy at " + corpus);
        List<String> header = List.of(Files.readAllLines(manifest).get(0).split(","));
        String[] row = Files.readAllLines(manifest).get(1).split(",");
        Path clip = corpus.resolve(row[header.indexOf("path")]);
        double seconds = Double.parseDouble(row[header.indexOf("seconds")]);

        assertEquals(16000, WavReader.read(clip).sampleRate());
        float[] samples = AudioLoader.loadMono(clip, 16000);

        assertEquals(seconds * 16000, samples.length, 8, clip.toString()); // manifest rounds to 1 ms = 16 samples
        double peak = 0;
        for (float s : samples) peak = Math.max(peak, Math.abs(s));
        assertTrue(peak > 0.01 && peak <= 1, "peak " + peak);
    }
}
