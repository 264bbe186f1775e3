package ser.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import ser.audio.Resampler;

/** Three seconds of audio (a typical RAVDESS clip) to 16 kHz: the Vector API dot product against the scalar one. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ResamplerBenchmark {

    @Param({"44100", "48000", "22050", "8000"})
    int from;

    private Resampler resampler;
    private float[] signal;

    @Setup
    public void setUp() {
        resampler = Resampler.of(from, 16000);
        Random random = new Random(1);
        signal = new float[3 * from];
        for (int i = 0; i < signal.length; i++) signal[i] = (float) random.nextGaussian() * 0.1f;
    }

    @Benchmark
    public float[] vector() {
        return resampler.apply(signal);
    }

    @Benchmark
    public float[] scalar() {
        return resampler.applyScalar(signal);
    }
}
