package ser.bench;

import ser.hubert.Hubert;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory (Linux {@code /proc/self/status}) around loading HuBERT base and running it: how
 * much of it is the weights, how much the mapping, the activations and the JVM's heap headroom. Reads the
 * exported model's engine file, as {@link HubertBench} does.
 *
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED [-Xmx...] -cp bench/target/benchmarks.jar ser.bench.HubertMemory [passes 3]</pre>
 */
public final class HubertMemory {

    public static void main(String[] args) throws IOException, InterruptedException {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path weights = OnnxHubert.weights(OnnxHubert.directory());
        System.out.printf("weights file %.0f MB%n", Files.size(weights) / 1e6);
        report("before loading");
        Hubert model = Hubert.load(weights);
        report("loaded");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<float[]> clip = HubertBench.randomClips(1, 3 * 16_000, 1);
        for (int i = 0; i < passes; i++) {
            long allocated = threads.getCurrentThreadAllocatedBytes();
            model.forward(clip, new int[] {model.config().layers()});
            System.out.printf("pass %d: the calling thread allocated %.1f MB%n", i + 1,
                    (threads.getCurrentThreadAllocatedBytes() - allocated) / 1e6);
        }
        report("after " + passes + " passes of a 3 s clip");
        System.gc();
        Thread.sleep(1500); // G1 returns uncommitted regions to the system from a thread of its own
        report("after a full GC");
    }

    private static void report(String when) throws IOException {
        StringBuilder line = new StringBuilder(String.format("%-38s", when + ":"));
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS") || l.startsWith("VmHWM") || l.startsWith("RssAnon") || l.startsWith("RssFile")) {
                String[] f = l.split("\\s+");
                line.append(String.format(" %s %4d MB", f[0], Long.parseLong(f[1]) >> 10));
            }
        }
        Runtime rt = Runtime.getRuntime();
        line.append(String.format("; heap used %d MB of %d committed", (rt.totalMemory() - rt.freeMemory()) >> 20, rt.totalMemory() >> 20));
        System.out.println(line);
    }
}
