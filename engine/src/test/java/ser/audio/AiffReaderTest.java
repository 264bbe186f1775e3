package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ser.audio.AiffBytes.*;
import static ser.audio.WavBytes.ascii;
import static ser.audio.WavBytes.concat;
import static ser.audio.WavBytes.write;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;

/** AIFF and AIFF-C files built byte by byte decode to the samples written, and bad ones fail in one line. */
class AiffReaderTest {

    @TempDir Path dir;

    private WavAudio read(String name, byte[] bytes) {
        return AudioReader.read(write(dir, name, bytes));
    }

    /** k / 32768 for each k: what 16-bit PCM holds exactly. */
    private static float[] over(double scale, int... values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) (values[i] / scale);
        return out;
    }

    @Test
    void pcm16DecodesAsTheSameSignalWrittenAsWav() {
        float[] tone = Signals.tone(440, 16000, 800);
        int[] ints = new int[tone.length];
        for (int i = 0; i < tone.length; i++) ints[i] = Math.clamp(Math.round(tone[i] * 32768.0), -32768, 32767);
        Path wav = dir.resolve("tone.wav");
        WavWriter.writePcm16(wav, tone, 16000);

        WavAudio aiff = read("tone.aiff", aiff(chunk("COMM", comm(1, ints.length, 16, 16000)), chunk("SSND", ssnd(pcm(16, ints)))));
        WavAudio reference = WavReader.read(wav);
        assertEquals(16000, aiff.sampleRate());
        assertEquals(SampleEncoding.PCM_INT, aiff.format().encoding());
        assertArrayEquals(reference.channels()[0], aiff.channels()[0]);
    }

    @Test
    void pcm24And32AndSigned8() {
        int[] v24 = {0, 1, -1, 8388607, -8388608, 123456};
        assertArrayEquals(over(0x1p23, v24),
                read("a24.aif", aiff(chunk("COMM", comm(1, 6, 24, 44100)), chunk("SSND", ssnd(pcm(24, v24))))).channels()[0]);
        int[] v32 = {0, 1 << 20, -(1 << 30), Integer.MIN_VALUE};
        assertArrayEquals(over(0x1p31, v32),
                read("a32.aif", aiff(chunk("COMM", comm(1, 4, 32, 8000)), chunk("SSND", ssnd(pcm(32, v32))))).channels()[0]);
        int[] v8 = {0, 1, -1, 127, -128};
        assertArrayEquals(over(128, v8), read("a8.aif", aiff(chunk("COMM", comm(1, 5, 8, 8000)),
                chunk("SSND", ssnd(pcm(8, v8))))).channels()[0], "AIFF 8-bit is signed, unlike WAV's");
    }

    @Test
    void oddSampleSizesAreLeftJustifiedInWholeBytes() {
        int[] v12 = {0x7FF0, -0x8000, 0x0010}; // 12 significant bits, stored in 16
        WavAudio a = read("a12.aif", aiff(chunk("COMM", comm(1, 3, 12, 8000)), chunk("SSND", ssnd(pcm(16, v12)))));
        assertArrayEquals(over(0x1p15, v12), a.channels()[0]);
        assertEquals(12, a.format().validBits());
    }

    @Test
    void stereoIsDeinterleaved() {
        WavAudio a = read("st.aiff", aiff(chunk("COMM", comm(2, 3, 16, 22050)),
                chunk("SSND", ssnd(pcm(16, 100, -100, 200, -200, 300, -300)))));
        assertEquals(2, a.channelCount());
        assertArrayEquals(over(32768, 100, 200, 300), a.channels()[0]);
        assertArrayEquals(over(32768, -100, -200, -300), a.channels()[1]);
        assertArrayEquals(new float[3], a.mono());
    }

    @Test
    void aifcCompressionTypes() {
        int[] v = {1000, -2000, 32767};
        byte[] none = aifc(chunk("COMM", commC(1, 3, 16, 16000, "NONE")), chunk("SSND", ssnd(pcm(16, v))));
        byte[] twos = aifc(chunk("COMM", commC(1, 3, 16, 16000, "twos")), chunk("SSND", ssnd(pcm(16, v))));
        byte[] sowt = aifc(chunk("COMM", commC(1, 3, 16, 16000, "sowt")),
                chunk("SSND", ssnd(pcm(ByteOrder.LITTLE_ENDIAN, 16, v))));
        for (byte[] file : new byte[][] {none, twos, sowt}) {
            assertArrayEquals(over(32768, v), read("c.aifc", file).channels()[0]);
        }
        int[] v24 = {-8388608, 5, 4000000};
        assertArrayEquals(over(0x1p23, v24), read("s24.aifc", aifc(chunk("COMM", commC(1, 3, 24, 16000, "sowt")),
                chunk("SSND", ssnd(pcm(ByteOrder.LITTLE_ENDIAN, 24, v24))))).channels()[0]);
    }

    @Test
    void aifcFloats() {
        float[] f = {0.25f, -1.5f, 3e-7f, 2f};
        for (String type : new String[] {"fl32", "FL32"}) {
            WavAudio a = read("f.aifc", aifc(chunk("COMM", commC(1, 4, 32, 48000, type)), chunk("SSND", ssnd(float32(f)))));
            assertArrayEquals(f, a.channels()[0], type);
            assertEquals(SampleEncoding.IEEE_FLOAT, a.format().encoding());
        }
        double[] d = {0.25, -1.5, 3e-7, 2};
        assertArrayEquals(f, read("d.aifc", aifc(chunk("COMM", commC(1, 4, 64, 48000, "fl64")),
                chunk("SSND", ssnd(float64(d))))).channels()[0]);
    }

    @Test
    void oddChunksArePaddedAndCommMayFollowSsnd() {
        int[] v = {7, -7, 70};
        byte[] name = chunk("NAME", ascii("odd")); // 3 bytes and a pad byte
        WavAudio a = read("odd.aiff", aiff(name, chunk("SSND", ssnd(4, pcm(16, v))), chunk("ANNO", ascii("x")),
                chunk("COMM", comm(1, 3, 16, 16000))));
        assertArrayEquals(over(32768, v), a.channels()[0]);
    }

    @Test
    void bytesPastCommsFrameCountAreIgnored() {
        WavAudio a = read("blk.aiff", aiff(chunk("COMM", comm(1, 2, 16, 16000)), chunk("SSND", ssnd(pcm(16, 1, 2, 3, 4)))));
        assertArrayEquals(over(32768, 1, 2), a.channels()[0]);
    }

    @Test
    void sampleRatesAreEightyBitExtended() {
        for (double rate : new double[] {8000, 11025, 16000, 44100, 48000, 96000, 22254.545454545454}) {
            ByteBuffer b = ByteBuffer.wrap(extended(rate)).order(ByteOrder.BIG_ENDIAN);
            assertEquals(rate, AiffReader.extended(b, 0), 0, "rate " + rate);
        }
        // 44100 Hz as a real AIFF writer spells it
        byte[] real = {0x40, 0x0E, (byte) 0xAC, 0x44, 0, 0, 0, 0, 0, 0};
        assertEquals(44100, AiffReader.extended(ByteBuffer.wrap(real), 0), 0);
        assertEquals(22255, read("mac.aiff", aiff(chunk("COMM", comm(1, 1, 16, 22254.545454545454)),
                chunk("SSND", ssnd(pcm(16, 1))))).sampleRate());
    }

    private void assertRejected(String name, byte[] bytes, String phrase) {
        Path file = write(dir, name, bytes);
        SerException e = assertThrows(SerException.class, () -> AudioReader.read(file));
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        assertTrue(message.contains(phrase), "'" + phrase + "' in: " + message);
        assertFalse(message.contains("\n"), "one line: " + message);
    }

    @Test
    void truncatedOrDamagedFilesAreOneLineErrors() {
        byte[] comm = chunk("COMM", comm(1, 4, 16, 16000));
        byte[] full = aiff(comm, chunk("SSND", ssnd(pcm(16, 1, 2, 3, 4))));
        assertRejected("cut.aiff", java.util.Arrays.copyOf(full, full.length - 3), "truncated SSND chunk: header says 16 bytes, file has 13");
        assertRejected("short.aiff", aiff(comm, chunk("SSND", ssnd(pcm(16, 1, 2)))),
                "truncated sound data: COMM says 4 frames (8 bytes), SSND holds 4");
        assertRejected("offset.aiff", aiff(comm, chunk("SSND", concat(u32(100), u32(0), pcm(16, 1, 2)))),
                "sample data offset 100 past its 4 bytes");
        assertRejected("huge.aiff", aiff(chunkClaiming("COMM", 0xFFFFFFF0L, comm(1, 4, 16, 16000))),
                "truncated COMM chunk: header says 4294967280 bytes");
        assertRejected("comm.aiff", aiff(chunk("COMM", new byte[10]), chunk("SSND", ssnd(pcm(16, 1)))),
                "truncated COMM chunk: 10 bytes, AIFF needs 18");
        assertRejected("nossnd.aiff", aiff(comm), "no SSND chunk");
        assertRejected("nocomm.aiff", aiff(chunk("SSND", ssnd(pcm(16, 1)))), "no COMM chunk");
        assertRejected("zero.aiff", aiff(chunk("COMM", comm(1, 0, 16, 16000)), chunk("SSND", ssnd(new byte[0]))), "zero samples");
        assertRejected("rate.aiff", aiff(chunk("COMM", comm(1, 1, 16, 0)), chunk("SSND", ssnd(pcm(16, 1)))), "absurd sample rate");
        assertRejected("chan.aiff", aiff(chunk("COMM", comm(0, 1, 16, 8000)), chunk("SSND", ssnd(pcm(16, 1)))), "absurd channel count 0");
        assertRejected("bits.aiff", aiff(chunk("COMM", comm(1, 1, 40, 8000)), chunk("SSND", ssnd(pcm(16, 1)))),
                "unsupported PCM sample size: 40 bits");
        assertRejected("ulaw.aifc", aifc(chunk("COMM", commC(1, 1, 16, 8000, "ulaw")), chunk("SSND", ssnd(pcm(16, 1)))),
                "unsupported AIFF-C compression 'ulaw' (mu-law)");
        assertRejected("form.aiff", concat(ascii("FORM"), u32(4), ascii("8SVX")), "not an AIFF file: FORM type '8SVX'");
        assertRejected("head.aiff", ascii("FORM\0\0"), "truncated header: 6 bytes");
    }
}
