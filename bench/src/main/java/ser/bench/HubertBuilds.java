package ser.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Two builds of the engine in one process, pass by pass in turn: each build's classes (a folder or a jar) in a
 * class loader of its own, both running HuBERT base on the same clips, so that a change can be measured against
 * the code before it under the same load, which on a shared machine moves more between runs than most changes
 * are worth. On one thread by the calling thread's CPU time, on more by the wall clock with the same 20 ms of
 * spinning before each pass as {@link HubertPaired}. Prints each build's median and the median of the per-round
 * ratios (before's time / after's).
 *
 * <pre>git worktree add /tmp/before REV &amp;&amp; (cd /tmp/before &amp;&amp; mvn -q -o -DskipTests compile -pl engine)
 * java [the launcher's JVM settings] -cp bench/target/benchmarks.jar ser.bench.HubertBuilds \
 *     /tmp/before/engine/target/classes engine/target/classes [rounds 20] [clips 1] [threads 1]</pre>
 * The weights are the exported model's ({@code tools/reference/export_hubert_onnx.py}), as for {@link HubertBench}.
 */
public final class HubertBuilds {

    private static final long SETTLE_NANOS = 20_000_000;

    /** One build's model and its {@code forward(List<float[]>, int[])} (also {@link HubertLong}'s). */
    record Build(Path classes, Object model, Method forward) {

        static Build load(Path classes, Path weights, int threads) throws ReflectiveOperationException, java.io.IOException {
            if (!Files.exists(classes)) throw new IllegalArgumentException(classes + ": no such folder or jar");
            // The platform loader as parent: the engine classes on this process's class path stay out of sight.
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            Class<?> parallel = loader.loadClass("ser.tensor.Parallel"), ops = loader.loadClass("ser.tensor.Ops");
            Object pool = parallel.getConstructor(int.class).newInstance(threads);
            Object simd = loader.loadClass("ser.tensor.SimdOps").getConstructor(parallel).newInstance(pool);
            Class<?> hubert = loader.loadClass("ser.hubert.Hubert");
            Object model = hubert.getMethod("load", Path.class, ops, parallel).invoke(null, weights, simd, pool);
            return new Build(classes, model, hubert.getMethod("forward", List.class, int[].class));
        }

        /** A pass keeping {@code states}; its {@code HubertOutput}, a type of the build's own loader. */
        Object pass(List<float[]> audio, int[] states) throws ReflectiveOperationException {
            return forward.invoke(model, audio, states);
        }

        /** The last hidden state (12, base's) of a pass over one clip, through the build's own classes. */
        float[] last(List<float[]> audio) throws ReflectiveOperationException {
            Object output = pass(audio, new int[] {12});
            Object states = output.getClass().getMethod("hiddenStates").invoke(output);
            Object last = states.getClass().getMethod("select", int.class, int.class).invoke(states, 0, 0);
            return (float[]) last.getClass().getMethod("toArray").invoke(last);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: HubertBuilds BEFORE_CLASSES AFTER_CLASSES [rounds 20] [clips 1] [threads 1]");
            System.exit(2);
        }
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int clips = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Path weights = OnnxHubert.weights(OnnxHubert.directory());
        Build[] builds = {Build.load(Path.of(args[0]), weights, threads), Build.load(Path.of(args[1]), weights, threads)};
        List<float[]> audio = HubertBench.randomClips(clips, 3 * 16_000, 1);
        int[] lastState = {12};
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        LongSupplier clock = threads == 1 ? cpu::getCurrentThreadCpuTime : System::nanoTime;
        long[][] nanos = new long[2][rounds];
        double[] ratios = new double[rounds];
        for (int i = -5; i < rounds; i++) {
            for (int k = 0; k < 2; k++) {
                int which = (i & 1) == 0 ? k : 1 - k; // each build goes first in every other round
                if (threads > 1) for (long end = System.nanoTime() + SETTLE_NANOS; System.nanoTime() < end; ) Thread.onSpinWait();
                long t0 = clock.getAsLong();
                builds[which].pass(audio, lastState);
                if (i >= 0) nanos[which][i] = clock.getAsLong() - t0;
            }
            if (i >= 0) ratios[i] = (double) nanos[0][i] / nanos[1][i];
        }
        String per = threads == 1 ? "CPU per pass" : "wall per pass";
        for (int b = 0; b < 2; b++) {
            long[] sorted = nanos[b].clone();
            Arrays.sort(sorted);
            System.out.printf("%-6s %s: %s median %.1f ms%n", b == 0 ? "before" : "after", builds[b].classes(), per, sorted[rounds / 2] / 1e6);
        }
        Arrays.sort(ratios);
        System.out.printf("%d clip(s), %d thread(s): before / after, median of %d rounds %.3fx (quartiles %.3f-%.3f)%n",
                clips, threads, rounds, ratios[rounds / 2], ratios[rounds / 4], ratios[3 * rounds / 4]);
    }
}
