package ser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime peer: torchaudio's hubert_base exported by {@code tools/reference/export_hubert_onnx.py}, with
 * the engine weights file converted from the same state dict beside it. Runs with a given number of intra-op
 * threads (one: all work on the calling thread), sequential execution and every graph optimisation.
 */
final class OnnxHubert implements AutoCloseable {

    /** Where the export script writes; {@code -Dser.hubert.onnx=DIR} reads the files elsewhere. */
    static Path directory() {
        Path dir = Path.of(System.getProperty("ser.hubert.onnx", "tools/reference/out/hubert-base-onnx"));
        if (!Files.exists(onnx(dir)) || !Files.exists(weights(dir))) {
            throw new IllegalStateException("no " + onnx(dir) + " or " + weights(dir)
                    + ": run /usr/bin/python3 tools/reference/export_hubert_onnx.py (from the repository root)");
        }
        return dir;
    }

    static Path onnx(Path dir) { return dir.resolve("hubert_base.onnx"); }

    /** The same weights in the engine's format. */
    static Path weights(Path dir) { return dir.resolve("hubert-base.safetensors"); }

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    OnnxHubert(Path dir, int threads) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = environment.createSession(onnx(dir).toString(), options);
        }
    }

    /** The input tensor for a batch of equally long clips. */
    OnnxTensor input(List<float[]> clips) throws OrtException {
        int samples = clips.getFirst().length;
        FloatBuffer batch = FloatBuffer.allocate(clips.size() * samples);
        for (float[] clip : clips) batch.put(clip);
        return OnnxTensor.createTensor(environment, batch.flip(), new long[] {clips.size(), samples});
    }

    /** The last hidden state, [batch, frames, 768], flattened. */
    FloatBuffer lastHiddenState(OnnxTensor input) throws OrtException {
        try (OrtSession.Result result = session.run(Map.of("waveforms", input))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer();
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
