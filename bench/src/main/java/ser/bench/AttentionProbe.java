package ser.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

import ser.tensor.Ops;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

/**
 * One attention head of HuBERT base (d = 64, q/k/v columns of a [T, 2304] projection) on one thread, by CPU time:
 * the unblocked form (scale, GEMM into T × T scores, softmax, GEMM) against {@link Ops#attention}, alternating.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar ser.bench.AttentionProbe [T,T,... 149,499,1499] [rounds 15]</pre>
 */
public final class AttentionProbe {

    public static void main(String[] args) {
        int[] lengths = Arrays.stream((args.length > 0 ? args[0] : "149,499,1499").split(",")).mapToInt(Integer::parseInt).toArray();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int d = 64, width = 3 * 768;
        try (Parallel pool = new Parallel(1)) {
            Ops ops = new SimdOps(pool);
            for (int t : lengths) {
                Random random = new Random(t);
                float[] x = new float[t * width];
                for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
                Tensor rows = Tensor.wrap(x, t, width);
                Tensor q = rows.slice(1, 0, d), k = rows.slice(1, 768, 768 + d), v = rows.slice(1, 1536, 1536 + d);
                Tensor scaled = Tensor.zeros(t, d), scores = Tensor.zeros(t, t), out = Tensor.zeros(t, d);
                int heads = Math.max(1, 3000 / t);
                long[][] ns = new long[2][rounds];
                for (int r = -5; r < rounds; r++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    for (int h = 0; h < heads; h++) {
                        ops.scale(q, 0.125f, scaled);
                        ops.gemm(1f, scaled, k.transpose(0, 1), 0f, scores);
                        ops.softmax(scores, scores);
                        ops.gemm(1f, scores, v, 0f, out);
                    }
                    long t1 = cpu.getCurrentThreadCpuTime();
                    for (int h = 0; h < heads; h++) ops.attention(q, k, v, t, 0.125f, out);
                    long t2 = cpu.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        ns[0][r] = (t1 - t0) / heads;
                        ns[1][r] = (t2 - t1) / heads;
                    }
                }
                Arrays.sort(ns[0]);
                Arrays.sort(ns[1]);
                double flop = 4.0 * t * t * d;
                System.out.printf("T %5d: unblocked %8.1f us (%5.1f GFLOP/s), blocked %8.1f us (%5.1f GFLOP/s), %.2fx%n", t,
                        ns[0][rounds / 2] / 1e3, flop / ns[0][rounds / 2], ns[1][rounds / 2] / 1e3, flop / ns[1][rounds / 2],
                        (double) ns[0][rounds / 2] / ns[1][rounds / 2]);
            }
        }
    }
}
