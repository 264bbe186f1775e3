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

/**
 * Ours against ONNX Runtime on one core, by the calling thread's CPU time: with one thread each, both run all
 * their work on this thread, and CPU time is what other jobs on a shared machine disturb least (wall-clock
 * comparisons are {@link HubertBench}'s). Runs alternate between the two, so that a change of load affects both.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar ser.bench.HubertCpuTime [runs 10] [clips 1]</pre>
 */
public final class HubertCpuTime {

    public static void main(String[] args) throws OrtException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clips = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        List<float[]> audio = HubertBench.randomClips(clips, 3 * 16_000, 1);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (Parallel single = new Parallel(1); OnnxHubert onnx = new OnnxHubert(OnnxHubert.directory(), 1);
             OnnxTensor input = onnx.input(audio)) {
            Hubert ours = Hubert.load(OnnxHubert.weights(OnnxHubert.directory()), new SimdOps(single), single);
            HubertBench.requireSameResult(ours, audio, onnx.lastHiddenState(input));
            long[] oursNs = new long[runs], theirsNs = new long[runs];
            for (int i = -3; i < runs; i++) { // three rounds of warm-up
                long t0 = cpu.getCurrentThreadCpuTime();
                ours.forward(audio);
                long t1 = cpu.getCurrentThreadCpuTime();
                onnx.lastHiddenState(input);
                long t2 = cpu.getCurrentThreadCpuTime();
                if (i >= 0) {
                    oursNs[i] = t1 - t0;
                    theirsNs[i] = t2 - t1;
                }
            }
            double seconds = 3.0 * clips;
            report("ser (SimdOps, 1 thread)", oursNs, seconds);
            report("ONNX Runtime (1 intra-op thread)", theirsNs, seconds);
        }
    }

    private static void report(String what, long[] nanos, double audioSeconds) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2] / 1e9, best = sorted[0] / 1e9;
        System.out.printf("%-34s CPU per run: median %.0f ms (%.1fx real time), best %.0f ms (%.1fx)%n",
                what, median * 1e3, audioSeconds / median, best * 1e3, audioSeconds / best);
    }
}
