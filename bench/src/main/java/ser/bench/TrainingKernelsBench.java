package ser.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import ser.autograd.kernels.Kernels;

/**
 * The training kernels outside the fused conv block, forward and backward, each on every backend
 * ({@link Kernels#named}, by {@code kernels}): 2×2 max pooling and ReLU over a second block's input map at batch 8,
 * GELU and dropout over a million values, mean pooling over 200 frames of 256 features at batch 16, and the
 * cross-entropy of a batch of 128 over 8 classes. Arrays are made once; outputs are overwritten.
 *
 * <pre>bench/run.sh TrainingKernelsBench -p kernels=simd,reference</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingKernelsBench {

    @Param({"simd", "reference"})
    public String kernels;

    private static final int N = 8, C = 32, H = 64, W = 76, ELEMENTS = 1 << 20;
    private static final int SEQUENCES = 16, FRAMES = 200, FEATURES = 256, BATCH = 128, CLASSES = 8;

    private Kernels k;
    private float[] map, mapGrad, pooled, pooledGrad, values, valuesOut, valuesGrad, mask, frames, frameMask, framesGrad,
            means, meansGrad, logits, logitsGrad;
    private int[] from, targets;

    @Setup
    public void setUp() {
        k = Kernels.named(kernels);
        SplittableRandom r = new SplittableRandom(1);
        map = gaussian(r, N * C * H * W);
        mapGrad = new float[map.length];
        pooled = new float[N * C * (H / 2) * (W / 2)];
        pooledGrad = gaussian(r, pooled.length);
        from = new int[pooled.length];
        k.maxPoolForward(N, C, H, W, 2, 2, map, pooled, from);
        values = gaussian(r, ELEMENTS);
        valuesOut = new float[ELEMENTS];
        valuesGrad = gaussian(r, ELEMENTS);
        mask = new float[ELEMENTS];
        for (int i = 0; i < ELEMENTS; i++) mask[i] = r.nextInt(5) == 0 ? 0f : 1.25f;
        frames = gaussian(r, SEQUENCES * FRAMES * FEATURES);
        framesGrad = new float[frames.length];
        frameMask = new float[SEQUENCES * FRAMES];
        for (int i = 0; i < SEQUENCES; i++) java.util.Arrays.fill(frameMask, i * FRAMES, i * FRAMES + 100 + r.nextInt(100), 1f);
        means = new float[SEQUENCES * FEATURES];
        meansGrad = gaussian(r, means.length);
        logits = gaussian(r, BATCH * CLASSES);
        logitsGrad = new float[logits.length];
        targets = new int[BATCH];
        for (int i = 0; i < BATCH; i++) targets[i] = r.nextInt(CLASSES);
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Benchmark
    public int[] maxPoolForward() {
        k.maxPoolForward(N, C, H, W, 2, 2, map, pooled, from);
        return from;
    }

    @Benchmark
    public float[] maxPoolBackward() {
        k.maxPoolBackward(N, C, H, W, 2, 2, map, from, pooledGrad, mapGrad);
        return mapGrad;
    }

    @Benchmark
    public float[] reluForward() {
        k.reluForward(map, mapGrad);
        return mapGrad;
    }

    @Benchmark
    public float[] reluBackward() {
        k.reluBackward(map, map, mapGrad);
        return mapGrad;
    }

    @Benchmark
    public float[] geluForward() {
        k.geluForward(values, valuesOut);
        return valuesOut;
    }

    @Benchmark
    public float[] geluBackward() {
        k.geluBackward(values, valuesGrad, valuesOut);
        return valuesOut;
    }

    @Benchmark
    public float[] dropoutForward() {
        k.dropoutForward(values, mask, valuesOut);
        return valuesOut;
    }

    @Benchmark
    public float[] dropoutBackward() {
        k.dropoutBackward(mask, valuesGrad, valuesOut);
        return valuesOut;
    }

    @Benchmark
    public float[] timeMeanForward() {
        k.timeMeanForward(SEQUENCES, FRAMES, FEATURES, frames, frameMask, means);
        return means;
    }

    @Benchmark
    public float[] timeMeanBackward() {
        k.timeMeanBackward(SEQUENCES, FRAMES, FEATURES, frameMask, meansGrad, framesGrad);
        return framesGrad;
    }

    @Benchmark
    public float crossEntropyForward() {
        return k.crossEntropyForward(BATCH, CLASSES, logits, targets, null, 0.1);
    }

    @Benchmark
    public float[] crossEntropyBackward() {
        k.crossEntropyBackward(BATCH, CLASSES, logits, targets, null, 0.1, 1f, logitsGrad);
        return logitsGrad;
    }
}
