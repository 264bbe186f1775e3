package ser.audio;

import static org.junit.jupiter.api.Assertions.*;
import static ser.audio.AiffBytes.*;
import static ser.audio.WavBytes.concat;
import static ser.audio.WavBytes.write;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.dsp.LogMel;
import ser.dsp.MelConfig;
import ser.dsp.MelStream;
import ser.io.Npy;

/**
 * AIFF and AIFF-C files are streamed ({@link AudioReader#openStream}, {@link MonoSamples}) to exactly the bits of the
 * whole-file loader: every encoding the reader takes, at the model's rate and resampled, read in blocks of several
 * sizes and in random ranges; and a bad file fails with the whole-file reader's message.
 */
class AiffStreamTest {

    @TempDir
    Path dir;

    private static int[] ints(int n, int bits, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] x = new int[n];
        double full = Math.pow(2, bits - 1) - 1;
        for (int i = 0; i < n; i++) x[i] = (int) Math.round(full * (0.5 * Math.sin(i * 0.031) + 0.4 * (r.nextDouble() - 0.5)));
        return x;
    }

    private static float[] floats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.6 * Math.sin(i * 0.017) + 0.5 * (r.nextDouble() - 0.5));
        return x;
    }

    private static double[] doubles(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 0.6 * Math.sin(i * 0.023) + 0.5 * (r.nextDouble() - 0.5);
        return x;
    }

    /** The files: each layout the reader decodes, stereo and mono, several rates, with header quirks. */
    private Path[] fixtures() {
        int n = 30_011;
        return new Path[] {
            write(dir, "pcm16.aiff", aiff(chunk("COMM", comm(1, n, 16, 16000)), chunk("SSND", ssnd(pcm(16, ints(n, 16, 1)))))),
            write(dir, "pcm16-st.aiff", aiff(chunk("COMM", comm(2, n, 16, 44100)), chunk("SSND", ssnd(pcm(16, ints(2 * n, 16, 2)))))),
            write(dir, "pcm24.aif", aiff(chunk("COMM", comm(1, n, 24, 22050)), chunk("SSND", ssnd(pcm(24, ints(n, 24, 3)))))),
            write(dir, "pcm32-st.aif", aiff(chunk("COMM", comm(2, n, 32, 48000)), chunk("SSND", ssnd(pcm(32, ints(2 * n, 32, 4)))))),
            write(dir, "pcm8.aif", aiff(chunk("COMM", comm(1, n, 8, 8000)), chunk("SSND", ssnd(pcm(8, ints(n, 8, 5)))))),
            // 12 bits stored in 16, left-justified; SSND before COMM, with a data offset and trailing bytes.
            write(dir, "pcm12.aif", aiff(chunk("SSND", ssnd(5, concat(pcm(16, shifted(ints(n, 12, 6), 4)), new byte[7]))),
                    chunk("COMM", comm(1, n, 12, 11025)))),
            write(dir, "twos.aifc", aifc(chunk("COMM", commC(2, n, 16, 16000, "twos")), chunk("SSND", ssnd(pcm(16, ints(2 * n, 16, 7)))))),
            write(dir, "sowt.aifc", aifc(chunk("COMM", commC(2, n, 16, 44100, "sowt")),
                    chunk("SSND", ssnd(pcm(ByteOrder.LITTLE_ENDIAN, 16, ints(2 * n, 16, 8)))))),
            write(dir, "sowt24.aifc", aifc(chunk("COMM", commC(1, n, 24, 16000, "sowt")),
                    chunk("SSND", ssnd(3, pcm(ByteOrder.LITTLE_ENDIAN, 24, ints(n, 24, 9)))))),
            write(dir, "fl32.aifc", aifc(chunk("COMM", commC(1, n, 32, 16000, "fl32")), chunk("SSND", ssnd(float32(floats(n, 10)))))),
            write(dir, "fl32-st.aifc", aifc(chunk("COMM", commC(2, n, 32, 22050, "fl32")), chunk("SSND", ssnd(float32(floats(2 * n, 11)))))),
            write(dir, "fl64.aifc", aifc(chunk("COMM", commC(3, n, 64, 48000, "fl64")), chunk("SSND", ssnd(float64(doubles(3 * n, 12)))))),
            write(dir, "short.aifc", aifc(chunk("COMM", commC(1, 5, 32, 44100, "fl32")), chunk("SSND", ssnd(float32(floats(5, 13)))))),
        };
    }

    private static int[] shifted(int[] x, int bits) {
        int[] out = new int[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] << bits;
        return out;
    }

    @Test
    void everyLayoutStreamsToTheWholeFileBitsAtSeveralRatesAndBlockSizes() {
        for (Path file : fixtures()) {
            for (int rate : new int[] {16000, 8000, 22050, 44100}) {
                float[] whole = AudioLoader.loadMono(file, rate);
                try (MonoSamples s = MonoSamples.open(file, rate)) {
                    assertTrue(s.streamed());
                    assertEquals(whole.length, s.length(), file + " at " + rate);
                    // Read front to back in blocks: each boundary falls somewhere else in the file and the filter.
                    for (int block : new int[] {1, 7, 997, 4096, whole.length}) {
                        if (block < 10 && whole.length > 5000) continue;  // a few samples at a time: only the short file
                        float[] joined = new float[whole.length];
                        float[] buf = new float[block];
                        for (int from = 0; from < whole.length; from += block) {
                            int count = Math.min(block, whole.length - from);
                            s.read(from, count, buf);
                            System.arraycopy(buf, 0, joined, from, count);
                        }
                        assertArrayEquals(whole, joined, file.getFileName() + " at " + rate + " Hz in blocks of " + block);
                    }
                    SplittableRandom r = new SplittableRandom(file.hashCode() + rate);
                    float[] into = new float[whole.length];
                    for (int i = 0; i < 30; i++) {
                        int from = r.nextInt(whole.length), count = r.nextInt(whole.length - from + 1);
                        s.read(from, count, into);
                        assertArrayEquals(Arrays.copyOfRange(whole, from, from + count), Arrays.copyOf(into, count),
                                file.getFileName() + " at " + rate + " Hz, samples [" + from + ", " + (from + count) + ")");
                    }
                    // A head view reads the same bits.
                    try (MonoSamples head = s.head(777)) {
                        assertEquals(Math.min(777, whole.length), head.length());
                        assertArrayEquals(Arrays.copyOf(whole, (int) head.length()), head.readHead(Long.MAX_VALUE));
                    }
                }
            }
        }
    }

    @Test
    void aBadFileFailsWithTheWholeFileReadersMessage() {
        int[] x = ints(100, 16, 20);
        Path[] bad = {
            write(dir, "trunc.aiff", aiff(chunk("COMM", comm(1, 200, 16, 16000)), chunk("SSND", ssnd(pcm(16, x))))),
            write(dir, "zero.aiff", aiff(chunk("COMM", comm(1, 0, 16, 16000)), chunk("SSND", ssnd(pcm(16, x))))),
            write(dir, "ulaw.aifc", aifc(chunk("COMM", commC(1, 100, 8, 16000, "ulaw")), chunk("SSND", ssnd(new byte[100])))),
            write(dir, "nossnd.aiff", aiff(chunk("COMM", comm(1, 100, 16, 16000)))),
            write(dir, "rate.aiff", aiff(chunk("COMM", comm(1, 100, 16, 10)), chunk("SSND", ssnd(pcm(16, x))))),
            write(dir, "form.aiff", concat(WavBytes.ascii("FORM"), u32(4), WavBytes.ascii("XXXX"))),
            write(dir, "empty.aiff", new byte[0]),
            write(dir, "flac.aiff", WavBytes.ascii("fLaC\0\0\0\0")),
        };
        for (Path file : bad) {
            SerException whole = assertThrows(SerException.class, () -> AudioLoader.loadMono(file, 16000));
            SerException streamed = assertThrows(SerException.class, () -> MonoSamples.open(file, 16000).close());
            assertEquals(whole.getMessage(), streamed.getMessage());
        }
    }

    @Test
    void aNonFiniteFloatSampleIsNamedWhenItsRangeIsRead() {
        float[] x = floats(10_000, 30);
        x[6_000] = Float.NaN;
        Path file = write(dir, "nan.aifc", aifc(chunk("COMM", commC(1, x.length, 32, 16000, "fl32")), chunk("SSND", ssnd(float32(x)))));
        SerException whole = assertThrows(SerException.class, () -> AudioLoader.loadMono(file, 16000));
        assertEquals(file + ": sample 6000 is NaN: float audio must hold finite samples (damaged file?)", whole.getMessage());
        try (MonoSamples s = MonoSamples.open(file, 16000)) {
            s.read(0, 5_000, new float[5_000]);  // before it: fine
            SerException streamed = assertThrows(SerException.class, () -> s.read(5_000, 2_000, new float[2_000]));
            assertEquals(whole.getMessage(), streamed.getMessage());
        }
    }

    @Test
    void melStreamsAiffToTheWholeFileBytes() throws IOException {
        MelConfig cfg = MelConfig.seed();
        LogMel mel = new LogMel(cfg);
        for (Path file : fixtures()) {
            if (file.getFileName().toString().startsWith("short")) continue;  // fewer samples than one frame needs
            for (int block : new int[] {mel.lanes(), mel.lanes() * 3, MelStream.BLOCK_FRAMES}) {
                Path whole = dir.resolve("whole.npy"), streamed = dir.resolve("streamed.npy");
                Npy.write(whole, mel.compute(AudioLoader.loadMono(file, cfg.sampleRate())));
                int[] shape = MelStream.tryWrite(file, streamed, mel, block);
                assertNotNull(shape, "AIFF is streamed");
                assertArrayEquals(Npy.readHeader(whole).shape(), shape);
                assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(streamed),
                        file.getFileName() + ", blocks of " + block + " frames");
            }
        }
    }
}
