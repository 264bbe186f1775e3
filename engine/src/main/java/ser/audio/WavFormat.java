package ser.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import ser.SerException;

/**
 * What a WAV file's {@code fmt } chunk says, checked for sense: only layouts the decoder can read get through.
 * {@link AiffReader} describes AIFF files with it too; their byte order is the reader's business, not the format's.
 *
 * @param validBits the meaningful bits of each sample; below {@code bitsPerSample} only in
 *                  WAVE_FORMAT_EXTENSIBLE files and AIFF files of odd sizes (12, 20 bits), where samples are
 *                  left-justified, so decoding ignores it
 */
public record WavFormat(SampleEncoding encoding, int channels, int sampleRate, int blockAlign,
                        int bitsPerSample, int validBits) {

    static final int MAX_CHANNELS = 1024;
    /**
     * Below this no speech is left (its band is 4 kHz wide), and the resampler would make each input sample
     * into thousands: a 40 KB file at 1 Hz becomes 1.3 GB at 16 kHz.
     */
    static final int MIN_SAMPLE_RATE = 1_000;
    static final int MAX_SAMPLE_RATE = 1_000_000;

    private static final int TAG_PCM = 0x0001;
    private static final int TAG_FLOAT = 0x0003;
    private static final int TAG_EXTENSIBLE = 0xFFFE;

    /** The last 14 bytes of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT; the first two bytes hold the format tag. */
    private static final byte[] SUBFORMAT_GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    /** Codecs met in the wild, named so that the user learns what the file holds instead of a number. */
    private static final Map<Integer, String> CODEC_NAMES = Map.ofEntries(
            Map.entry(0x0002, "Microsoft ADPCM"),
            Map.entry(0x0006, "A-law"),
            Map.entry(0x0007, "mu-law"),
            Map.entry(0x0011, "IMA ADPCM"),
            Map.entry(0x0022, "DSP Group TrueSpeech"),
            Map.entry(0x0031, "GSM 6.10"),
            Map.entry(0x0040, "G.721 ADPCM"),
            Map.entry(0x0050, "MPEG-1 audio"),
            Map.entry(0x0055, "MPEG Layer III (MP3)"),
            Map.entry(0x0092, "Dolby AC-3 SPDIF"),
            Map.entry(0x00FF, "AAC"),
            Map.entry(0x0161, "Windows Media Audio"),
            Map.entry(0x1610, "HE-AAC"),
            Map.entry(0x2000, "Dolby AC-3"),
            Map.entry(0xF1AC, "FLAC"));

    public int bytesPerSample() {
        return bitsPerSample / 8;
    }

    /** Parses the body of a {@code fmt } chunk (at most its first 40 bytes matter) and rejects what cannot be decoded. */
    static WavFormat parse(Path file, ByteBuffer body) {
        ByteBuffer fmt = body.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (fmt.remaining() < 16) {
            throw SerException.inFile(file, "truncated fmt chunk: " + fmt.remaining() + " bytes, needs at least 16");
        }
        int tag = Short.toUnsignedInt(fmt.getShort(0));
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        long sampleRate = Integer.toUnsignedLong(fmt.getInt(4));
        int blockAlign = Short.toUnsignedInt(fmt.getShort(12));
        int bits = Short.toUnsignedInt(fmt.getShort(14));
        int validBits = bits;

        if (tag == TAG_EXTENSIBLE) {
            if (fmt.remaining() < 40) {
                throw SerException.inFile(file, "truncated fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, has "
                        + fmt.remaining());
            }
            validBits = Short.toUnsignedInt(fmt.getShort(18));
            tag = subformatTag(file, fmt);
            if (validBits == 0) validBits = bits; // some writers leave it unset, meaning "all of them"
        }

        if (channels == 0 || channels > MAX_CHANNELS) {
            throw SerException.inFile(file, "absurd channel count " + channels + " (expected 1.." + MAX_CHANNELS + ")");
        }
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw SerException.inFile(file, "absurd sample rate " + sampleRate + " Hz (expected " + MIN_SAMPLE_RATE + ".."
                    + MAX_SAMPLE_RATE + ")");
        }
        SampleEncoding encoding = encodingOf(file, tag, bits);
        if (blockAlign != channels * (bits / 8)) {
            throw SerException.inFile(file, "inconsistent block align: fmt says " + blockAlign + " bytes, "
                    + channels + " channels of " + bits + " bits need " + channels * (bits / 8));
        }
        if (validBits > bits) {
            throw SerException.inFile(file, "inconsistent fmt chunk: " + validBits + " valid bits in a "
                    + bits + "-bit sample");
        }
        return new WavFormat(encoding, channels, (int) sampleRate, blockAlign, bits, validBits);
    }

    private static int subformatTag(Path file, ByteBuffer fmt) {
        for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
            if (fmt.get(26 + i) != SUBFORMAT_GUID_TAIL[i]) {
                throw SerException.inFile(file, "unsupported WAVE_FORMAT_EXTENSIBLE subformat " + guid(fmt, 24));
            }
        }
        return Short.toUnsignedInt(fmt.getShort(24));
    }

    private static SampleEncoding encodingOf(Path file, int tag, int bits) {
        if (tag == TAG_PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) return SampleEncoding.PCM_INT;
        if (tag == TAG_FLOAT && (bits == 32 || bits == 64)) return SampleEncoding.IEEE_FLOAT;
        if (tag == TAG_PCM) throw SerException.inFile(file, "unsupported PCM sample size: " + bits + " bits (supported: 8, 16, 24, 32)");
        if (tag == TAG_FLOAT) throw SerException.inFile(file, "unsupported float sample size: " + bits + " bits (supported: 32, 64)");
        String name = CODEC_NAMES.getOrDefault(tag, "unknown");
        throw SerException.inFile(file, String.format("unsupported codec %s (format tag 0x%04X); convert to PCM or float WAV first", name, tag));
    }

    /** The usual registry spelling {@code {00000001-0000-0010-8000-00AA00389B71}} of the GUID at {@code at}. */
    private static String guid(ByteBuffer fmt, int at) {
        return String.format("{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                fmt.getInt(at), fmt.getShort(at + 4), fmt.getShort(at + 6),
                fmt.get(at + 8), fmt.get(at + 9), fmt.get(at + 10), fmt.get(at + 11),
                fmt.get(at + 12), fmt.get(at + 13), fmt.get(at + 14), fmt.get(at + 15));
    }
}
