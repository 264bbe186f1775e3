package ser.bench;

import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

/**
 * {@code C[768, 3072] = A[768, 768] · B[768, 3072]}, a HuBERT-base feed-forward projection over 768 frames:
 * {@link SimdOps} on 1 and 2 threads against the {@link ScalarOps} reference. Besides operations per second,
 * JMH reports the auxiliary counter {@code gflops} in GFLOP/s ({@code 2·M·N·K} flops per product); compare it
 * with {@link PeakFlopsBench} for the fraction of peak.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBench {

    static final int M = 768, K = 768, N = 3072;
    static final double GFLOP_PER_PRODUCT = 2.0 * M * N * K / 1e9;

    @State(Scope.Benchmark)
    public static class Operands {
        Tensor a = random(M, K, 1), b = random(K, N, 2), c = Tensor.zeros(M, N);

        private static Tensor random(int rows, int cols, long seed) {
            Random r = new Random(seed);
            float[] v = new float[rows * cols];
            for (int i = 0; i < v.length; i++) v[i] = r.nextFloat() - 0.5f;
            return Tensor.wrap(v, rows, cols);
        }
    }

    /** The SIMD backend on a pool of its own; only the SIMD benchmark takes the thread parameter. */
    @State(Scope.Benchmark)
    public static class Simd {
        @Param({"1", "2"})
        int threads;
        Parallel pool;
        SimdOps ops;

        @Setup
        public void start() {
            pool = new Parallel(threads);
            ops = new SimdOps(pool);
        }

        @TearDown
        public void stop() {
            pool.close();
        }
    }

    @Benchmark
    public Tensor simd(Operands o, Simd s, GflopsCounter f) {
        s.ops.matmul(o.a, o.b, o.c);
        f.gflops += GFLOP_PER_PRODUCT;
        return o.c;
    }

    /** The reference: about five seconds per product, so each iteration runs one product, however long. */
    @Benchmark
    public Tensor scalar(Operands o, GflopsCounter f) {
        SCALAR.matmul(o.a, o.b, o.c);
        f.gflops += GFLOP_PER_PRODUCT;
        return o.c;
    }

    private static final ScalarOps SCALAR = new ScalarOps();
}
