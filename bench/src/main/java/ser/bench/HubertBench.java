package ser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
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

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * HuBERT base on 3-second clips, ours against ONNX Runtime in the same run, on the same random weights and the
 * same thread count: one clip, and eight clips as one padded batch. Real-time factor = 3 s · clips / score.
 *
 * <p>Both read the files {@code tools/reference/export_hubert_onnx.py} writes ({@link OnnxHubert}); without them
 * the setup fails, naming the script. Before ONNX Runtime is timed, its last hidden state is held against ours
 * on the same input: the two must compute the same thing for the comparison to mean anything. Both give the last
 * hidden state only (the exported graph's one output; ours keeps that state alone, {@link Hubert#forward(List, int[])}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The JVM settings of the ser launcher (docs/hubert.md, "JVM settings"); they touch only the Java side.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx6g",
        "-XX:-UseCountedLoopSafepoints", "-XX:+UseTransparentHugePages"})
public class HubertBench {

    @Param({"ours", "onnxruntime"})
    String engine;

    @Param({"1", "8"})
    int clips;

    @Param({"2"})
    int threads;

    private Parallel pool;
    private Hubert hubert;
    private int[] lastState;
    private OnnxHubert onnx;
    private OnnxTensor input;
    private List<float[]> audio;

    @Setup
    public void setUp() throws OrtException {
        Path dir = OnnxHubert.directory();
        audio = randomClips(clips, 3 * 16_000, 1);
        pool = new Parallel(threads);
        hubert = Hubert.load(OnnxHubert.weights(dir), new SimdOps(pool), pool);
        lastState = new int[] {hubert.config().layers()};
        if (engine.equals("onnxruntime")) {
            onnx = new OnnxHubert(dir, threads);
            input = onnx.input(audio);
            requireSameResult(hubert, audio, onnx.lastHiddenState(input));
            hubert = null; // only its result was needed: leave ONNX Runtime the memory
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        if (onnx != null) {
            input.close();
            onnx.close();
        }
        pool.close();
    }

    @Benchmark
    public Object forward() throws OrtException {
        return onnx == null ? hubert.forward(audio, lastState) : onnx.lastHiddenState(input);
    }

    static List<float[]> randomClips(int count, int samples, long seed) {
        Random random = new Random(seed);
        List<float[]> clips = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] clip = new float[samples];
            for (int i = 0; i < samples; i++) clip[i] = (float) random.nextGaussian() * 0.1f;
            clips.add(clip);
        }
        return clips;
    }

    /** ONNX Runtime's last hidden state must be ours to within float rounding (1e-3 of the largest value). */
    static void requireSameResult(Hubert hubert, List<float[]> audio, FloatBuffer theirs) {
        float[] expected = hubert.forward(audio).hiddenStates().select(0, hubert.config().layers()).toArray();
        float worst = 0, scale = 0;
        for (int i = 0; i < expected.length && i < theirs.remaining(); i++) {
            worst = Math.max(worst, Math.abs(expected[i] - theirs.get(i)));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        if (theirs.remaining() != expected.length || worst > 1e-3f * scale) {
            throw new IllegalStateException("ONNX Runtime and ser disagree (max |diff| " + worst + ", max |value| "
                    + scale + "): rerun tools/reference/export_hubert_onnx.py");
        }
    }
}
