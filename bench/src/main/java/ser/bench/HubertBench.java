package ser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import ser.hubert.Hubert;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * HuBERT base on 3-second clips, ours against ONNX Runtime in the same run, on the same random weights and the
 * same thread count: one clip, and eight clips as one padded batch. Real-time factor = 3 s · clips / score.
 *
 * <p>Both read the files {@code tools/reference/export_hubert_onnx.py} writes to the ignored
 * {@code tools/reference/out/hubert-base-onnx/} (the ONNX export of torchaudio's hubert_base and the engine
 * weights converted from the same state dict); set {@code -Dser.hubert.onnx=DIR} to read them elsewhere.
 * ONNX Runtime runs with {@code threads} intra-op threads, sequential execution and every graph optimisation;
 * before it is timed, its last hidden state is held against ours on the same clip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class HubertBench {

    private static final int SAMPLES = 3 * 16_000;

    @Param({"ours", "onnxruntime"})
    String engine;

    @Param({"1", "8"})
    int clips;

    @Param({"2"})
    int threads;

    private Parallel pool;
    private Hubert hubert;
    private OrtEnvironment ort;
    private OrtSession session;
    private OnnxTensor input;
    private List<float[]> audio;

    @Setup
    public void setUp() throws OrtException {
        Path dir = Path.of(System.getProperty("ser.hubert.onnx", "tools/reference/out/hubert-base-onnx"));
        Path onnx = dir.resolve("hubert_base.onnx"), weights = dir.resolve("hubert-base.safetensors");
        if (!Files.exists(onnx) || !Files.exists(weights)) {
            throw new IllegalStateException("no " + onnx + " or " + weights
                    + ": run /usr/bin/python3 tools/reference/export_hubert_onnx.py (from the repository root)");
        }
        Random random = new Random(1);
        audio = new ArrayList<>();
        FloatBuffer batch = FloatBuffer.allocate(clips * SAMPLES);
        for (int b = 0; b < clips; b++) {
            float[] clip = new float[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) clip[i] = (float) random.nextGaussian() * 0.1f;
            audio.add(clip);
            batch.put(clip);
        }
        pool = new Parallel(threads);
        hubert = Hubert.load(weights, new SimdOps(pool), pool);
        if (engine.equals("onnxruntime")) {
            ort = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = ort.createSession(onnx.toString(), options);
            input = OnnxTensor.createTensor(ort, batch.flip(), new long[] {clips, SAMPLES});
            requireSameResult();
            hubert = null; // only its result was needed: leave ONNX Runtime the memory
        }
    }

    /** ONNX Runtime must compute what we compute, or the comparison means nothing. */
    private void requireSameResult() throws OrtException {
        Tensor ours = hubert.forward(audio).hiddenStates().select(0, hubert.config().layers());
        float[] expected = ours.toArray();
        try (OrtSession.Result result = session.run(Map.of("waveforms", input))) {
            FloatBuffer theirs = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float worst = 0, scale = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - theirs.get(i)));
                scale = Math.max(scale, Math.abs(expected[i]));
            }
            if (theirs.remaining() != expected.length || worst > 1e-3f * scale) {
                throw new IllegalStateException("ONNX Runtime and ser disagree (max |diff| " + worst + ", max |value| "
                        + scale + "): rerun tools/reference/export_hubert_onnx.py");
            }
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (session != null) {
            input.close();
            session.close();
        }
        pool.close();
    }

    @Benchmark
    public Object forward() throws OrtException {
        if (session == null) return hubert.forward(audio);
        try (OrtSession.Result result = session.run(Map.of("waveforms", input))) {
            return ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
        }
    }
}
