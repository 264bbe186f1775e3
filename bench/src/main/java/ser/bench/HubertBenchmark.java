package ser.bench;

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
import ser.hubert.HubertConfig;
import ser.hubert.HubertOutput;
import ser.hubert.WeightSource;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * HuBERT base, every hidden state of one clip: the figure to hold against ONNX Runtime and PyTorch on the same
 * thread count (real-time factor = clip seconds / score; the torchaudio peer is
 * {@code bench/scripts/time_torchaudio_hubert.py}). Weights are random; the arithmetic is the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
public class HubertBenchmark {

    @Param({"1", "2"})
    int threads;

    @Param({"3", "10"})
    int seconds;

    private Parallel pool;
    private Hubert hubert;
    private float[] clip;
    private List<float[]> eight;

    @Setup
    public void setUp() {
        pool = new Parallel(threads);
        hubert = new Hubert(HubertConfig.base(), randomWeights(), new SimdOps(pool), pool);
        Random random = new Random(1);
        clip = new float[seconds * 16_000];
        for (int i = 0; i < clip.length; i++) clip[i] = (float) random.nextGaussian() * 0.1f;
        eight = Collections.nCopies(8, clip);
    }

    @TearDown
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public HubertOutput forward() {
        return hubert.forward(clip);
    }

    /** Eight clips through one transformer batch, as {@code ser embed} runs a folder: divide the score by 8. */
    @Benchmark
    public HubertOutput eightClipsTogether() {
        return hubert.forwardEach(eight);
    }

    /** Whatever the model asks for, a tensor of that shape with small random values. */
    private static WeightSource randomWeights() {
        Random random = new Random(2);
        return (name, shape) -> {
            float[] data = new float[Math.toIntExact(Tensor.count(shape))];
            float scale = (float) (1 / Math.sqrt(shape.length > 1 ? shape[shape.length - 2] : 1));
            for (int i = 0; i < data.length; i++) data[i] = (float) random.nextGaussian() * scale;
            return Tensor.wrap(data, shape);
        };
    }
}
