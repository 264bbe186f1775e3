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
import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

/**
 * The sequence operations of {@link Ops} that HuBERT's forward pass calls, on the reference and on the SIMD
 * backend, at HuBERT base's sizes for 3-second clips: {@code maskRows} zeroing the padded frames of a batch of 4
 * projected sequences [4, 150, 768] in place (half of each padded), {@code padRows} of one positional-conv group
 * (a [150, 48] column slice into its [278, 48] strip), and {@code frameWindows} of a 3 s waveform for the first
 * conv (kernel 10, stride 5, with its column of ones). Tensors are made once; outputs are overwritten.
 *
 * <pre>bench/run.sh SequenceOpsBench -p ops=simd,scalar</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SequenceOpsBench {

    @Param({"simd", "scalar"})
    public String ops;

    private static final int BATCH = 4, FRAMES = 150, HIDDEN = 768, KERNEL = 128, WIDTH = 48, SAMPLES = 48_000;

    private Ops o;
    private Tensor projected, positionalInput, strip, signal, windows;
    private final int[] lengths = {FRAMES, FRAMES / 2, FRAMES / 3, 1};

    @Setup
    public void setUp() {
        o = ops.equals("simd") ? new SimdOps(new Parallel(1)) : new ScalarOps();
        SplittableRandom r = new SplittableRandom(1);
        projected = o.upload(Tensor.wrap(gaussian(r, BATCH * FRAMES * HIDDEN), BATCH, FRAMES, HIDDEN));
        positionalInput = o.upload(Tensor.wrap(gaussian(r, FRAMES * HIDDEN), FRAMES, HIDDEN)).slice(1, 5 * WIDTH, 6 * WIDTH);
        strip = o.zeros(FRAMES + KERNEL, WIDTH);
        signal = o.upload(Tensor.wrap(gaussian(r, SAMPLES), SAMPLES));
        windows = o.zeros((SAMPLES - 10) / 5 + 1, 11);
    }

    private static float[] gaussian(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    @Benchmark
    public Tensor maskRows() {
        o.maskRows(projected, lengths, projected);
        return projected;
    }

    @Benchmark
    public Tensor padRows() {
        o.padRows(positionalInput, KERNEL / 2, strip);
        return strip;
    }

    @Benchmark
    public Tensor frameWindows() {
        o.frameWindows(signal, 10, 5, 0.01f, windows);
        return windows;
    }
}
