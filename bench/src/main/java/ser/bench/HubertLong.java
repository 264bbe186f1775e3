package ser.bench;

import ai.onnxruntime.OnnxTensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * HuBERT base on long clips: two builds of the engine (as {@link HubertBuilds}: each in a class loader of its own)
 * and ONNX Runtime, in one process, pass by pass in turn (each round starts with another of the three), one clip
 * of each length asked for. On one thread by the calling thread's CPU time, on more by the wall clock with 20 ms of
 * spinning before each pass (as {@link HubertPaired}). Before timing a length, each build's last hidden state is
 * checked against ONNX Runtime's (1e-3 of the largest value, as {@link HubertBench}). Prints per length each
 * engine's median and the medians of the per-round ratios.
 *
 * <pre>java [the launcher's JVM settings] -cp bench/target/benchmarks.jar ser.bench.HubertLong \
 *     BEFORE_CLASSES AFTER_CLASSES [rounds 6] [threads 2] [seconds 3,10,30]</pre>
 * The weights are the exported model's ({@code tools/reference/export_hubert_onnx.py}).
 */
public final class HubertLong {

    private static final long SETTLE_NANOS = 20_000_000;

    private static final String[] NAMES = {"before", "after"};
    private static final int[] LAST = {12};

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HubertLong BEFORE_CLASSES AFTER_CLASSES [rounds 6] [threads 2] [seconds 3,10,30]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        double[] lengths = Arrays.stream((args.length > 4 ? args[4] : "3,10,30").split(",")).mapToDouble(Double::parseDouble).toArray();
        Path dir = OnnxHubert.directory();
        HubertBuilds.Build[] builds = {HubertBuilds.Build.load(Path.of(args[0]), OnnxHubert.weights(dir), threads),
                HubertBuilds.Build.load(Path.of(args[1]), OnnxHubert.weights(dir), threads)};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LongSupplier clock = threads == 1 ? cpu::getCurrentThreadCpuTime : System::nanoTime;
        String per = threads == 1 ? "CPU per pass" : "wall per pass";
        System.out.printf("HuBERT base, 1 clip, %d thread(s), %s, median of %d rounds (3 engines in turn)%n", threads, per, rounds);
        System.out.printf("%8s %12s %12s %12s %14s %14s %14s%n", "clip", "before ms", "after ms", "ORT ms",
                "before/after", "ORT/after", "ORT/before");
        try (OnnxHubert onnx = new OnnxHubert(dir, threads)) {
            for (double seconds : lengths) {
                List<float[]> audio = HubertBench.randomClips(1, (int) Math.round(seconds * 16_000), 1);
                try (OnnxTensor input = onnx.input(audio)) {
                    FloatBuffer theirs = onnx.lastHiddenState(input);
                    for (int b = 0; b < 2; b++) requireSame(NAMES[b], builds[b].last(audio), theirs);
                    long[][] nanos = new long[3][rounds];
                    for (int i = -2; i < rounds; i++) {
                        for (int k = 0; k < 3; k++) {
                            int which = (k + Math.floorMod(i, 3)) % 3;
                            if (threads > 1) for (long end = System.nanoTime() + SETTLE_NANOS; System.nanoTime() < end; ) Thread.onSpinWait();
                            long t0 = clock.getAsLong();
                            if (which < 2) builds[which].pass(audio, LAST);
                            else onnx.lastHiddenState(input);
                            if (i >= 0) nanos[which][i] = clock.getAsLong() - t0;
                        }
                    }
                    System.out.printf("%6.0f s %12.1f %12.1f %12.1f %14s %14s %14s%n", seconds, median(nanos[0]) / 1e6,
                            median(nanos[1]) / 1e6, median(nanos[2]) / 1e6, ratio(nanos[0], nanos[1]), ratio(nanos[2], nanos[1]),
                            ratio(nanos[2], nanos[0]));
                }
            }
        }
    }

    private static void requireSame(String build, float[] ours, FloatBuffer theirs) {
        float worst = 0, scale = 0;
        for (int i = 0; i < ours.length && i < theirs.remaining(); i++) {
            worst = Math.max(worst, Math.abs(ours[i] - theirs.get(i)));
            scale = Math.max(scale, Math.abs(ours[i]));
        }
        if (theirs.remaining() != ours.length || worst > 1e-3f * scale) {
            throw new IllegalStateException(build + " and ONNX Runtime disagree: max |diff| " + worst + ", max |value| " + scale);
        }
    }

    private static double median(long[] x) {
        long[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The median of the per-round ratios {@code a / b}, with its quartiles. */
    private static String ratio(long[] a, long[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < r.length; i++) r[i] = (double) a[i] / b[i];
        Arrays.sort(r);
        return String.format("%.2f (%.2f-%.2f)", r[r.length / 2], r[r.length / 4], r[3 * r.length / 4]);
    }
}
