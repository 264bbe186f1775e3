package ser.bench;

import ser.hubert.Hubert;
import ser.hubert.HubertConfig;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Where HuBERT base's time goes, stage by stage, with each stage's GFLOP/s: every {@code Ops} call of a forward
 * pass is timed ({@link TimedOps}) and booked by its shape to a stage; flops are the GEMMs' {@code 2·m·k·n}.
 * Attention heads run as tasks on the pool, so their time is the threads' summed time divided by the thread count.
 * "outside Ops" is the rest of the wall time: allocation, copies, padding. With one thread, all times are the
 * thread's CPU time instead, which other jobs on a shared machine do not inflate.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar ser.bench.HubertProfile [seconds 3] [threads 2] [runs 10] [clips 1]</pre>
 * Random weights, the same arithmetic as real ones. Several clips run as {@code forwardEach} (one transformer batch).
 */
public final class HubertProfile {

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int clips = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        HubertConfig config = HubertConfig.base();
        try (Parallel pool = new Parallel(threads)) {
            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            LongSupplier clock = threads == 1 ? cpu::getCurrentThreadCpuTime : System::nanoTime;
            TimedOps ops = new TimedOps(new SimdOps(pool), (op, dims) -> stage(config, op, dims) + ": " + op, clock);
            Hubert model = new Hubert(config, RandomWeights.of(2), ops, pool);
            Random random = new Random(1);
            float[] clip = new float[(int) Math.round(seconds * 16_000)];
            for (int i = 0; i < clip.length; i++) clip[i] = (float) random.nextGaussian() * 0.1f;
            List<float[]> batch = Collections.nCopies(clips, clip);
            for (int i = 0; i < Math.max(3, runs / 2); i++) model.forwardEach(batch); // warm-up: JIT, buffers
            ops.reset(Thread.currentThread());
            long start = clock.getAsLong();
            for (int i = 0; i < runs; i++) model.forwardEach(batch);
            double wall = (clock.getAsLong() - start) / 1e9 / runs;
            report(ops.totals(), wall, threads, seconds * clips, runs);
        }
    }

    /** The stage a call belongs to, told apart by HuBERT's widths (base: 512 conv channels, 768 wide, FFN 3072). */
    static String stage(HubertConfig c, String op, int[] dims) {
        int d = c.hidden(), width = dims[dims.length - 1];
        if (op.equals("gemm")) {
            int k = dims[1], n = dims[2];
            if (k == c.headDim() || n == c.headDim()) return "attention core";
            if (n == 3 * d || (k == d && n == d)) return "attention projections";
            if (n == c.ffn() || k == c.ffn()) return "feed-forward";
            if (k == c.posKernel() * d / c.posGroups()) return "positional conv";
            if (k == c.featureDim() && n == d) return "feature projection";
            return "feature encoder";
        }
        if (op.equals("softmax") || op.equals("attention")) return "attention core";
        if (width == c.ffn()) return "feed-forward";
        if (width == 3 * d) return "attention projections";
        if (width == c.featureDim()) return op.equals("layerNorm") && c.featureNorm() == HubertConfig.FeatureNorm.GROUP
                ? "feature projection" : "feature encoder";
        if (op.equals("layerNorm")) return "layer norms";
        if (op.equals("gelu")) return "positional conv";
        return "residuals";
    }

    private static void report(Map<String, TimedOps.Totals> totals, double wall, int threads, double audioSeconds, int runs) {
        System.out.printf("HuBERT base, %.1f s of audio per run, %d thread(s): %.1f ms %s per run, %.1fx real time%n",
                audioSeconds, threads, wall * 1e3, threads == 1 ? "CPU" : "wall", audioSeconds / wall);
        System.out.printf("%-36s %8s %6s %9s %9s%n", "stage", "ms", "%", "GFLOP", "GFLOP/s");
        double booked = 0, flops = 0;
        for (var e : totals.entrySet()) {
            TimedOps.Totals t = e.getValue();
            long pool = t.poolNanos.sum();
            // Work split over the pool's threads: the wall time is about the summed time over the threads.
            double ms = (pool == 0 ? t.callerNanos.sum() : (t.callerNanos.sum() + pool) / (double) threads) / 1e6 / runs;
            double gflop = t.flops.sum() / 1e9 / runs;
            booked += ms;
            flops += gflop;
            System.out.printf("%-36s %8.1f %6.1f %9.2f %9s%n", e.getKey(), ms, 100 * ms / (wall * 1e3), gflop,
                    gflop == 0 ? "" : String.format("%.1f", gflop / ms * 1e3));
        }
        double rest = wall * 1e3 - booked;
        System.out.printf("%-36s %8.1f %6.1f%n", "outside Ops", rest, 100 * rest / (wall * 1e3));
        System.out.printf("%-36s %8.1f %6s %9.2f %9.1f%n", "total", wall * 1e3, "100", flops, flops / wall);
    }
}
