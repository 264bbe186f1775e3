package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.audio.AudioLoader;
import ser.audio.WavWriter;
import ser.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The streamed .npy is byte for byte the whole-file one: blocks, ragged ends, both reflect-padded edges, short clips. */
class MelStreamTest {

    @TempDir
    Path dir;

    private static MelConfig config(int nFft, int win, int hop, boolean center, String padMode, Double topDb) {
        return new MelConfig(16000, nFft, win, hop, 64, 0.0, 8000.0, 2.0, "htk", null, topDb, center, padMode);
    }

    private static final MelConfig SEED = MelConfig.seed();

    private static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        // A tone plus noise, with a loud first and last sample so a wrong reflection shows.
        for (int i = 0; i < n; i++) x[i] = (float) (0.3 * Math.sin(i * 0.05) + 0.2 * (r.nextDouble() - 0.5));
        x[0] = 0.9f;
        x[n - 1] = -0.9f;
        return x;
    }

    /** Writes {@code x} as 16-bit WAV, then the .npy both ways, and compares the bytes. */
    private void assertSameBytes(float[] x, MelConfig cfg, int blockFrames) throws IOException {
        Path wav = dir.resolve("in-" + x.length + ".wav");
        WavWriter.writePcm16(wav, x, cfg.sampleRate());
        assertSameBytes(wav, cfg, blockFrames);
    }

    private void assertSameBytes(Path wav, MelConfig cfg, int blockFrames) throws IOException {
        Path whole = dir.resolve("whole.npy"), streamed = dir.resolve("streamed.npy");
        LogMel mel = new LogMel(cfg);
        Npy.write(whole, mel.compute(AudioLoader.loadMono(wav, cfg.sampleRate())));
        int[] shape = MelStream.write(wav, streamed, mel, blockFrames);
        byte[] a = Files.readAllBytes(whole), b = Files.readAllBytes(streamed);
        assertArrayEquals(Npy.readHeader(whole).shape(), shape);
        assertEquals(a.length, b.length, "file size");
        assertArrayEquals(a, b, "streamed .npy differs from the whole-file one (" + wav.getFileName() + ", block " + blockFrames + ")");
    }

    @Test
    void severalBlocksAndARaggedEndAreBitIdentical() throws IOException {
        LogMel mel = new LogMel(SEED);
        int block = mel.lanes() * 2;
        // 7 blocks and a ragged last one of 5 frames, and the clip's end not on a hop either.
        int samples = (7 * block + 4) * SEED.hopLength() + 123;
        assertSameBytes(noise(samples, 1), SEED, block);
        // The same clip in one block, and in blocks of one batch.
        assertSameBytes(noise(samples, 1), SEED, 1 << 20);
        assertSameBytes(noise(samples, 1), SEED, mel.lanes());
    }

    @Test
    void everyLengthAroundABlockBoundary() throws IOException {
        LogMel mel = new LogMel(SEED);
        int block = mel.lanes();
        for (int frames = block - 1; frames <= block + 1; frames++) {
            for (int extra : new int[] {0, 1, SEED.hopLength() - 1}) {
                assertSameBytes(noise((frames - 1) * SEED.hopLength() + extra + 1, frames * 31L + extra), SEED, block);
            }
        }
    }

    @Test
    void otherHopsWindowsAndPadding() throws IOException {
        for (MelConfig cfg : new MelConfig[] {
                config(512, 400, 160, true, "reflect", null),
                config(256, 256, 100, true, "constant", null),
                config(512, 400, 160, false, "reflect", null)}) {
            int block = new LogMel(cfg).lanes() * 3;
            assertSameBytes(noise(9 * block * cfg.hopLength() + 77, 5), cfg, block);
        }
    }

    @Test
    void clipsShorterThanOneBlockAndThanHalfAnFft() throws IOException {
        int pad = SEED.nFft() / 2;
        for (int n : new int[] {pad + 1, pad + 2, SEED.nFft() - 1, SEED.nFft() + SEED.hopLength(), 3 * SEED.hopLength() + 5, 40_000}) {
            assertSameBytes(noise(n, n), SEED, MelStream.BLOCK_FRAMES);
        }
        // Constant padding takes even shorter clips: a few samples, fewer than n_fft/2.
        MelConfig constant = config(512, 400, 160, true, "constant", null);
        for (int n : new int[] {1, 2, 100, 255, 256}) assertSameBytes(noise(n, n), constant, MelStream.BLOCK_FRAMES);
    }

    @Test
    void tooShortForReflectPaddingFailsAsTheWholeFilePathDoes() throws IOException {
        Path wav = dir.resolve("tiny.wav");
        WavWriter.writePcm16(wav, noise(SEED.nFft() / 2, 3), SEED.sampleRate());
        SerException e = assertThrows(SerException.class,
                () -> MelStream.write(wav, dir.resolve("x.npy"), new LogMel(SEED), MelStream.BLOCK_FRAMES));
        assertTrue(e.getMessage().startsWith(wav + ": ") && e.getMessage().contains("too short for reflect padding"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.npy")));
    }

    @Test
    void stereoIsDownMixedAsTheWholeFilePathDoes() throws IOException {
        float[] left = noise(60_000, 11), right = noise(60_000, 12);
        int frames = left.length, channels = 2;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + frames * channels * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + frames * channels * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(16000)
                .putInt(16000 * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                .put("data".getBytes()).putInt(frames * channels * 2);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) Math.round(left[i] * 32767)).putShort((short) Math.round(right[i] * 32767));
        }
        Path wav = dir.resolve("stereo.wav");
        Files.write(wav, b.array());
        assertSameBytes(wav, SEED, new LogMel(SEED).lanes() * 5);
    }

    @Test
    void floatWavStreamsToo() throws IOException {
        Path wav = dir.resolve("float.wav");
        WavWriter.writeFloat32(wav, noise(50_000, 9), SEED.sampleRate());
        assertSameBytes(wav, SEED, new LogMel(SEED).lanes() * 4);
    }

    @Test
    void aNonFiniteSampleIsNamedByItsPlaceInTheFileNotInTheBlock() throws IOException {
        float[] x = noise(50_000, 10);
        x[40_000] = Float.NaN;
        Path wav = dir.resolve("nan.wav");
        WavWriter.writeFloat32(wav, x, SEED.sampleRate());
        SerException whole = assertThrows(SerException.class, () -> AudioLoader.loadMono(wav, SEED.sampleRate()));
        SerException streamed = assertThrows(SerException.class,
                () -> MelStream.write(wav, dir.resolve("nan.npy"), new LogMel(SEED), new LogMel(SEED).lanes() * 4));
        assertEquals(wav + ": sample 40000 is NaN: float audio must hold finite samples (damaged file?)", whole.getMessage());
        assertEquals(whole.getMessage(), streamed.getMessage());
        assertFalse(Files.exists(dir.resolve("nan.npy")));
    }

    @Test
    void withoutTopDbItIsStreamedAndTheHeaderIsTheReadersOwn() throws IOException {
        Path wav = dir.resolve("a.wav");
        WavWriter.writePcm16(wav, noise(20_000, 2), 16000);
        LogMel seed = new LogMel(SEED);
        assertNotNull(MelStream.tryWrite(wav, dir.resolve("a.npy"), seed, MelStream.BLOCK_FRAMES));
        Path topDb = dir.resolve("top.npy");
        assertNull(MelStream.tryWrite(wav, topDb, new LogMel(config(512, 400, 160, true, "reflect", 80.0)), 4096),
                "top_db needs the whole spectrogram");
        assertFalse(Files.exists(topDb));
        Path other = dir.resolve("b.wav");
        WavWriter.writePcm16(other, noise(20_000, 2), 22050);
        assertNotNull(MelStream.tryWrite(other, dir.resolve("b.npy"), seed, 4096), "another rate is resampled block by block");
        // AIFF is streamed too (ser.audio.AiffStreamTest): a damaged one fails with the AIFF reader's message, and
        // RF64 with the WAV reader's, as the whole-file path does.
        Path aiff = Files.write(dir.resolve("c.aiff"), new byte[] {'F', 'O', 'R', 'M', 0, 0, 0, 4, 'A', 'I', 'F', 'F'});
        assertEquals(assertThrows(SerException.class, () -> AudioLoader.loadMono(aiff, 16000)).getMessage(),
                assertThrows(SerException.class, () -> MelStream.tryWrite(aiff, dir.resolve("c.npy"), seed, 4096)).getMessage());
        byte[] bytes = Files.readAllBytes(wav);
        bytes[0] = 'R'; bytes[1] = 'F'; bytes[2] = '6'; bytes[3] = '4';
        Path rf64 = Files.write(dir.resolve("d.wav"), bytes);
        SerException streamed = assertThrows(SerException.class, () -> MelStream.tryWrite(rf64, dir.resolve("d.npy"), seed, 4096));
        SerException whole = assertThrows(SerException.class, () -> AudioLoader.loadMono(rf64, 16000));
        assertEquals(whole.getMessage(), streamed.getMessage());
        assertTrue(streamed.getMessage().contains("RF64"), streamed.getMessage());
    }

    @Test
    void otherRatesAreResampledBlockByBlockToTheSameBits() throws IOException {
        int block = new LogMel(SEED).lanes() * 2;
        for (int rate : new int[] {22050, 8000, 44100, 48000, 11025}) {
            Path wav = dir.resolve("r" + rate + ".wav");
            // Several blocks and a ragged end after resampling, and a short clip.
            WavWriter.writePcm16(wav, noise(rate * 3 + 17, rate), rate);
            assertSameBytes(wav, SEED, block);
            Path shortWav = dir.resolve("s" + rate + ".wav");
            WavWriter.writePcm16(shortWav, noise(rate / 20 + 3, rate + 1), rate);
            assertSameBytes(shortWav, SEED, block);
        }
    }
}
