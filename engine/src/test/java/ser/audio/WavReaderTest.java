package ser.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static ser.audio.WavBytes.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Well-formed files of every supported layout decode to exactly the expected samples. */
class WavReaderTest {

    @TempDir Path dir;

    private WavAudio read(byte[] bytes) {
        return WavReader.read(write(dir, "t.wav", bytes));
    }

    @Test
    void pcm8IsUnsignedWith128AsZero() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 8000, 8)), chunk("data", pcm(8, 0, 64, 128, 255))));
        assertEquals(8000, audio.sampleRate());
        assertEquals(8, audio.format().bitsPerSample());
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 127 / 128f}, audio.channels()[0]);
    }

    @Test
    void pcm16() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 16000, 16)),
                chunk("data", pcm(16, -32768, -1, 0, 16384, 32767))));
        assertEquals(SampleEncoding.PCM_INT, audio.format().encoding());
        assertArrayEquals(new float[] {-1f, -0x1p-15f, 0f, 0.5f, 32767 / 32768f}, audio.channels()[0]);
    }

    @Test
    void pcm24SignExtends() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 48000, 24)),
                chunk("data", pcm(24, -8388608, -1, 0x400000, 8388607))));
        assertArrayEquals(new float[] {-1f, -0x1p-23f, 0.5f, 8388607 / 8388608f}, audio.channels()[0]);
    }

    @Test
    void pcm32() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 44100, 32)),
                chunk("data", pcm(32, Integer.MIN_VALUE, -1, 1 << 30, 0))));
        assertArrayEquals(new float[] {-1f, -0x1p-31f, 0.5f, 0f}, audio.channels()[0]);
    }

    @Test
    void float32KeepsValuesAsWritten() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(FLOAT, 1, 22050, 32)), chunk("fact", u32(3)),
                chunk("data", float32(-0.25f, 1.5f, 0.1f))));
        assertEquals(SampleEncoding.IEEE_FLOAT, audio.format().encoding());
        assertArrayEquals(new float[] {-0.25f, 1.5f, 0.1f}, audio.channels()[0]);
    }

    @Test
    void float64IsNarrowedToFloat() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(FLOAT, 1, 8000, 64)), chunk("data", float64(0.1, -1.0, 1e-3))));
        assertArrayEquals(new float[] {(float) 0.1, -1f, (float) 1e-3}, audio.channels()[0]);
    }

    @Test
    void extensiblePcmWith24ValidBitsIn32BitContainers() {
        // Left-justified: the 24 valid bits sit in the top of each 32-bit word.
        WavAudio audio = read(riff(chunk("fmt ", fmtExtensible(2, 96000, 32, 24, PCM)),
                chunk("data", pcm(32, 0x40000000, 0xC0000000, 0x7FFFFF00, 0))));
        assertEquals(24, audio.format().validBits());
        assertEquals(96000, audio.sampleRate());
        assertArrayEquals(new float[] {0.5f, 0x7FFFFF00 * 0x1p-31f}, audio.channels()[0]);
        assertArrayEquals(new float[] {-0.5f, 0f}, audio.channels()[1]);
    }

    @Test
    void extensibleFloat() {
        WavAudio audio = read(riff(chunk("fmt ", fmtExtensible(1, 16000, 32, 32, FLOAT)),
                chunk("data", float32(0.75f, -0.125f))));
        assertEquals(SampleEncoding.IEEE_FLOAT, audio.format().encoding());
        assertArrayEquals(new float[] {0.75f, -0.125f}, audio.channels()[0]);
    }

    @Test
    void stereoIsDeinterleavedAndDownMixedByMean() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 2, 16000, 16)),
                chunk("data", pcm(16, 16384, -16384, 8192, 0, -32768, -32768))));
        assertEquals(2, audio.channelCount());
        assertEquals(3, audio.frames());
        assertArrayEquals(new float[] {0.5f, 0.25f, -1f}, audio.channels()[0]);
        assertArrayEquals(new float[] {-0.5f, 0f, -1f}, audio.channels()[1]);
        assertArrayEquals(new float[] {0f, 0.125f, -1f}, audio.mono());
    }

    @Test
    void fivePointOneKeepsEachChannelApart() {
        int[] frames = {1 << 12, 2 << 12, 3 << 12, 4 << 12, 5 << 12, 6 << 12, -(1 << 12), -(2 << 12), -(3 << 12),
            -(4 << 12), -(5 << 12), -(6 << 12)};
        WavAudio audio = read(riff(chunk("fmt ", fmtExtensible(6, 48000, 16, 16, PCM)), chunk("data", pcm(16, frames))));
        assertEquals(6, audio.channelCount());
        for (int c = 0; c < 6; c++) {
            float level = (c + 1) * 0x1p-3f;
            assertArrayEquals(new float[] {level, -level}, audio.channels()[c], "channel " + c);
        }
        assertArrayEquals(new float[] {3.5f * 0x1p-3f, -3.5f * 0x1p-3f}, audio.mono());
    }

    @Test
    void skipsListFactCueUnknownAndOddChunksWithTheirPadByte() {
        byte[] odd = ascii("abc"); // 3 bytes: RIFF adds a pad byte that must be skipped too
        WavAudio audio = read(riff(chunk("JUNK", odd), chunk("fmt ", fmt(PCM, 1, 16000, 16)),
                chunk("LIST", ascii("INFOISFT\5\0\0\0ser\0\0")), chunk("cue ", u32(0)), chunk("fact", u32(2)),
                chunk("odd!", ascii("x")), chunk("data", pcm(16, 1, -2)), chunk("LIST", ascii("trailing"))));
        assertArrayEquals(new float[] {0x1p-15f, -0x1p-14f}, audio.channels()[0]);
    }

    @Test
    void anOddChunkWithoutItsPadByteIsReadAsItsWriterMeantIt() {
        // "odd!" holds 3 bytes and its writer left out the pad byte: the next id starts right after them
        byte[] unpadded = concat(ascii("odd!"), u32(3), ascii("abc"));
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 16000, 16)), unpadded, chunk("data", pcm(16, 1, -2))));
        assertArrayEquals(new float[] {0x1p-15f, -0x1p-14f}, audio.channels()[0]);
        // data's size starting with a printable byte (0x41 = 'A' samples bytes) does not mislead it either
        WavAudio big = read(riff(chunk("fmt ", fmt(PCM, 1, 16000, 16)), unpadded, chunk("data", new byte[0x41 + 1])));
        assertEquals(33, big.frames());
    }

    @Test
    void fmtMayFollowData() {
        WavAudio audio = read(riff(chunk("data", pcm(16, 16384)), chunk("fmt ", fmt(PCM, 1, 16000, 16))));
        assertArrayEquals(new float[] {0.5f}, audio.channels()[0]);
    }

    @Test
    void streamingSizeRunsToEndOfFileAndDropsThePartialFrame() {
        byte[] data = concat(pcm(16, 100, 200, 300, 400), new byte[] {7, 7}); // two frames and half of one
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 2, 16000, 16)), chunkClaiming("data", 0xFFFFFFFFL, data)));
        assertArrayEquals(new float[] {100 * 0x1p-15f, 300 * 0x1p-15f}, audio.channels()[0]);
        assertArrayEquals(new float[] {200 * 0x1p-15f, 400 * 0x1p-15f}, audio.channels()[1]);
    }

    @Test
    void zeroDataSizeIsTheStreamingMarkToo() {
        WavAudio audio = read(riff(chunk("fmt ", fmt(PCM, 1, 16000, 16)), chunkClaiming("data", 0, pcm(16, 5, 6, 7))));
        assertEquals(3, audio.frames());
    }

    @Test
    void ignoresAWrongRiffSizeAndTrailingJunk() {
        byte[] wav = riff(chunk("fmt ", fmt(PCM, 1, 16000, 16)), chunk("data", pcm(16, 1, 2)));
        wav[4] = wav[5] = wav[6] = wav[7] = (byte) 0xFF;
        byte[] junk = concat(ascii("LIST"), u32(1_000_000), ascii("xyz"));
        assertEquals(2, read(concat(wav, junk)).frames());
    }

    @Test
    void readsWhatWavWriterWrites() {
        float[] samples = {0.5f, -0.25f, 0x1p-15f};
        Path pcm = dir.resolve("pcm.wav");
        WavWriter.writePcm16(pcm, samples, 22050);
        Path flt = dir.resolve("float.wav");
        WavWriter.writeFloat32(flt, samples, 44100);
        assertArrayEquals(samples, WavReader.read(pcm).channels()[0]);
        assertEquals(22050, WavReader.read(pcm).sampleRate());
        assertArrayEquals(samples, WavReader.read(flt).channels()[0]);
        assertEquals(SampleEncoding.IEEE_FLOAT, WavReader.read(flt).format().encoding());
    }
}
