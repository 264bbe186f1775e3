package ser.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ser.hubert.Hubert;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Ours against ONNX Runtime in one process, pass by pass in turn, so that a change of load on a shared machine
 * affects both alike ({@link HubertBench} runs each engine in a fork of its own, minutes apart). On one thread
 * each, both run all their work on the calling thread and are timed by its CPU time, which other jobs disturb
 * least; on more, by the wall clock. Besides each engine's median it gives the median of the per-round ratios,
 * a paired comparison that slow drifts of the machine's speed cancel out of.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar ser.bench.HubertPaired [runs 10] [clips 1] [threads 1] [warm-up rounds 3]</pre>
 */
public final class HubertPaired {

    private static final long SETTLE_NANOS = 20_000_000;

    public static void main(String[] args) throws OrtException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clips = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int warmUp = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<float[]> audio = HubertBench.randomClips(clips, 3 * 16_000, 1);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LongSupplier clock = threads == 1 ? cpu::getCurrentThreadCpuTime : System::nanoTime;
        try (Parallel pool = new Parallel(threads); OnnxHubert onnx = new OnnxHubert(OnnxHubert.directory(), threads);
             OnnxTensor input = onnx.input(audio)) {
            Hubert ours = Hubert.load(OnnxHubert.weights(OnnxHubert.directory()), new SimdOps(pool), pool);
            HubertBench.requireSameResult(ours, audio, onnx.lastHiddenState(input));
            int[] lastState = {ours.config().layers()}; // ONNX Runtime's one output
            long[] oursNs = new long[runs], theirsNs = new long[runs];
            double[] ratios = new double[runs];
            for (int i = -warmUp; i < runs; i++) {
                settle(threads);
                long t0 = clock.getAsLong();
                ours.forward(audio, lastState);
                long t1 = clock.getAsLong();
                settle(threads);
                long t2 = clock.getAsLong();
                onnx.lastHiddenState(input);
                long t3 = clock.getAsLong();
                if (i >= 0) {
                    oursNs[i] = t1 - t0;
                    theirsNs[i] = t3 - t2;
                    ratios[i] = (double) theirsNs[i] / oursNs[i];
                }
            }
            double seconds = 3.0 * clips;
            String per = threads == 1 ? "CPU per run" : "wall per run";
            report("ser (SimdOps, " + threads + " thread" + (threads == 1 ? ")" : "s)"), per, oursNs, seconds);
            report("ONNX Runtime (" + threads + " intra-op thread" + (threads == 1 ? ")" : "s)"), per, theirsNs, seconds);
            Arrays.sort(ratios);
            System.out.printf("ONNX Runtime's time / ours, median of %d rounds: %.3fx (quartiles %.3f-%.3f)%n",
                    runs, ratios[runs / 2], ratios[runs / 4], ratios[3 * runs / 4]);
        }
    }

    /**
     * With several threads, 20 ms before each pass spent spinning on the calling thread. Both engines' workers
     * spin for a while after a pass before they sleep, and without the pause the other engine's pass shares the
     * cores with them (ONNX Runtime's keep spinning long enough to cost ours 7-8 %); a sleep instead lets the
     * cores idle, and the next pass starts on a cold core.
     */
    private static void settle(int threads) {
        if (threads == 1) return;
        for (long end = System.nanoTime() + SETTLE_NANOS; System.nanoTime() < end; ) Thread.onSpinWait();
    }

    private static void report(String what, String per, long[] nanos, double audioSeconds) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e9, best = sorted[0] / 1e9;
        System.out.printf("%-34s %s: median %.0f ms (%.1fx real time), best %.0f ms (%.1fx)%n",
                what, per, median * 1e3, audioSeconds / median, best * 1e3, audioSeconds / best);
    }
}
