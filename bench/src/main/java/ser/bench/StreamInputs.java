package ser.bench;

import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.io.Safetensors;
import ser.tensor.Tensor;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Inputs for bench/scripts/stream_memory.sh, made without holding them: a long speech-like 16-bit WAV, written a
 * minute at a time, and an engine weights file of HuBERT base with random weights.
 *
 * <pre>java -cp bench/target/benchmarks.jar ser.bench.StreamInputs wav OUT.wav SECONDS RATE CHANNELS
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar ser.bench.StreamInputs hubert-base OUT.safetensors</pre>
 */
public final class StreamInputs {

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "wav" -> wav(Path.of(args[1]), Double.parseDouble(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "hubert-base" -> hubertBase(Path.of(args[1]));
            default -> throw new IllegalArgumentException("wav or hubert-base, not " + args[0]);
        }
    }

    static void wav(Path out, double seconds, int rate, int channels) throws IOException {
        long frames = Math.round(seconds * rate);
        long bytes = frames * channels * 2;
        if (bytes + 36 > 0xFFFF_FFFFL) throw new IllegalArgumentException("over 4 GiB");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
            h.put("RIFF".getBytes()).putInt((int) (36 + bytes)).put("WAVE".getBytes())
                    .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                    .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
                    .put("data".getBytes()).putInt((int) bytes);
            o.write(h.array());
            for (long at = 0, minute = 0; at < frames; minute++) {
                int n = (int) Math.min(60L * rate, frames - at);
                // A minute of speech-like sound at 16 kHz, stretched to the rate by holding (a benchmark input, not audio).
                float[] x = HubertChunkSeam.speechLike(60 * 16_000, minute + 1);
                ByteBuffer b = ByteBuffer.allocate(n * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    float v = x[(int) ((long) i * 16_000 / rate)];
                    for (int c = 0; c < channels; c++) b.putShort((short) Math.round((c == 0 ? v : 0.8f * v) * 32767));
                }
                o.write(b.array());
                at += n;
            }
        }
    }

    /** Every tensor HuBERT base asks for, random, written as an engine weights file with its config. */
    static void hubertBase(Path out) {
        HubertConfig config = HubertConfig.base();
        Map<String, Tensor> tensors = new TreeMap<>();
        var random = RandomWeights.of(2);
        new Hubert(config, (name, shape) -> {
            Tensor t = random.get(name, shape);
            tensors.put(name, t);
            return t;
        });
        Safetensors.write(out, tensors, config.toMetadata());
    }
}
