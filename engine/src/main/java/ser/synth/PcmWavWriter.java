package ser.synth;

import ser.SerException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.nio.charset.StandardCharsets.US_ASCII;

/** Mono 16-bit PCM WAV, the layout every corpus on disk uses; private to the synthesiser to stay self-contained. */
final class PcmWavWriter {

    private static final int HEADER_BYTES = 44;

    private PcmWavWriter() {}

    static void write(Path file, float[] samples, int sampleRate) {
        int dataBytes = samples.length * 2;
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.put("RIFF".getBytes(US_ASCII)).putInt(36 + dataBytes);
        buf.put("WAVE".getBytes(US_ASCII));
        buf.put("fmt ".getBytes(US_ASCII)).putInt(16);
        buf.putShort((short) 1).putShort((short) 1);            // PCM, mono
        buf.putInt(sampleRate).putInt(sampleRate * 2);         // sample rate, byte rate
        buf.putShort((short) 2).putShort((short) 16);           // block align, bits per sample
        buf.put("data".getBytes(US_ASCII)).putInt(dataBytes);
        for (float s : samples) {
            buf.putShort(toPcm16(s));
        }
        try {
            Files.write(file, buf.array());
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot write WAV: " + e.getMessage(), e);
        }
    }

    /** Rounds to the nearest step and saturates, so an out-of-range sample can never wrap around. */
    static short toPcm16(float s) {
        long q = Math.round((double) s * 32767.0);
        return (short) Math.max(-32768, Math.min(32767, q));
    }
}
