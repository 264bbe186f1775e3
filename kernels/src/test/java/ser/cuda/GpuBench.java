package ser.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Device-event timing of {@link CudaHubert} passes and of plain cuBLAS products (the GEMM ceiling). */
final class GpuBench {

    private GpuBench() {}

    /** One batch size in one precision: every repeat's device time, the host's queueing time, and each stage's. */
    record Timing(String precision, int batch, int samples, double[] millis, double hostQueueMillis,
                  Map<String, Double> stageMillis, Map<String, Double> stageFlops) {

        double median() {
            double[] s = millis.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        double min() {
            return Arrays.stream(millis).min().orElse(Double.NaN);
        }

        /** Seconds of audio per second of compute. */
        double realTime() {
            return batch * (samples / 16_000.0) / (median() / 1000);
        }

        double tflops() {
            return stageFlops.values().stream().mapToDouble(Double::doubleValue).sum() / (median() * 1e9);
        }

        String line() {
            return String.format("%-5s batch %3d: median %8.2f ms (min %8.2f, %d runs), %8.1fx real time, %6.1f TFLOP/s,"
                            + " host queueing %.2f ms", precision, batch, median(), min(), millis.length, realTime(),
                    tflops(), hostQueueMillis);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", precision);
            m.put("batch", batch);
            m.put("samples_per_clip", samples);
            m.put("median_ms", median());
            m.put("min_ms", min());
            m.put("runs_ms", millis);
            m.put("x_real_time", realTime());
            m.put("tflops", tflops());
            m.put("host_queue_ms", hostQueueMillis);
            List<Object> stages = new ArrayList<>();
            double profiled = stageMillis.values().stream().mapToDouble(Double::doubleValue).sum();
            stageMillis.forEach((name, ms) -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("stage", name);
                s.put("ms", ms);
                s.put("share", ms / profiled);
                double f = stageFlops.getOrDefault(name, 0.0);
                s.put("gflop", f / 1e9);
                if (f > 0) s.put("tflops", f / (ms * 1e9));
                stages.add(s);
            });
            m.put("profiled_pass_ms", profiled);
            m.put("stages", stages);
            return m;
        }
    }

    /** Random clips, the same for every run of a seed (not zeros: zeros can run faster than real data). */
    static List<float[]> clips(int batch, int samples, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            float[] x = new float[samples];
            for (int i = 0; i < samples; i++) x[i] = (float) (0.1 * r.nextGaussian());
            out.add(x);
        }
        return out;
    }

    static Timing time(Cuda.Device dev, CudaHubert model, int batch, int samples, int warmup, int repeats) {
        HubertPlan plan = model.upload(clips(batch, samples, 42));
        for (int i = 0; i < warmup; i++) model.run();
        dev.driver().synchronize(dev.stream());
        MemorySegment start = dev.driver().createEvent(), end = dev.driver().createEvent();
        double[] millis = new double[repeats];
        double queue = 0;
        try {
            for (int r = 0; r < repeats; r++) {
                dev.driver().record(start, dev.stream());
                long t0 = System.nanoTime();
                model.run();
                queue += (System.nanoTime() - t0) / 1e6;
                dev.driver().record(end, dev.stream());
                millis[r] = dev.driver().elapsedMillis(start, end);
            }
        } finally {
            dev.driver().destroyEvent(start);
            dev.driver().destroyEvent(end);
        }
        Map<String, Double> stages;
        try (StageTimer timer = new StageTimer(dev)) {
            model.profile(timer);
            model.run();
            stages = timer.millis();
        } finally {
            model.profile(null);
        }
        return new Timing(model.precision().name().toLowerCase(), batch, samples, millis, queue / repeats, stages,
                plan.flops());
    }

    /**
     * Milliseconds per launch of each kernel the first conv can run as, on HuBERT base's shapes (batch × 3 s): the
     * stage is the slowest per FLOP, and this says which kernel the time goes to.
     */
    static Map<String, Double> firstConvKernels(Cuda.Device dev, int batch, int repeats) {
        int samples = 48_000, channels = 512, kernel = 10, stride = 5, frames = (samples - kernel) / stride + 1;
        Map<String, Double> out = new LinkedHashMap<>();
        float[] x = new float[batch * samples];
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * r.nextGaussian());
        CudaKernels k = dev.kernels();
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), w = Transfers.upload(dev, arena, KernelChecks.random(channels * kernel, 6));
            long g = Transfers.upload(dev, arena, KernelChecks.random(channels, 7)), b = Transfers.upload(dev, arena, KernelChecks.random(channels, 8));
            long n = (long) batch * channels * frames, y = arena.allocateFloats(n), z = arena.allocateFloats(n);
            long stats = arena.allocateFloats(2L * batch * channels);
            Map<String, Runnable> launches = new LinkedHashMap<>();
            launches.put("conv1d_first", () -> k.conv1dFirst(dx, w, y, batch, samples, channels, kernel, stride, frames));
            launches.put("group_norm_gelu", () -> k.groupNormGelu(y, g, b, batch, channels, frames, 1e-5f));
            launches.put("transpose_tiles", () -> k.transpose(y, z, batch, channels, frames));
            long moments = arena.allocate(8L * batch * (1 + kernel + kernel * kernel));
            launches.put("conv1d_first_moments", () -> k.conv1dFirstMoments(dx, moments, batch, samples, kernel, stride, frames));
            launches.put("conv1d_first_group_stats", () -> k.conv1dFirstGroupStats(moments, w, stats, batch, channels, kernel, 1e-5f));
            launches.put("conv1d_first_norm_gelu", () -> k.conv1dFirstNormGelu(dx, w, stats, g, b, z, batch, samples, channels, kernel, stride, frames));
            launches.put("gelu (same size)", () -> k.gelu(z, n));
            MemorySegment start = dev.driver().createEvent(), end = dev.driver().createEvent();
            try {
                for (var e : launches.entrySet()) {
                    e.getValue().run();
                    e.getValue().run();
                    dev.driver().record(start, dev.stream());
                    for (int i = 0; i < repeats; i++) e.getValue().run();
                    dev.driver().record(end, dev.stream());
                    out.put(e.getKey(), (double) dev.driver().elapsedMillis(start, end) / repeats);
                }
            } finally {
                dev.driver().destroyEvent(start);
                dev.driver().destroyEvent(end);
            }
        }
        return out;
    }

    /** TFLOP/s of an n×n×n cuBLAS product in each precision, on random data: the ceiling the stages are read against. */
    static Map<String, Double> gemmPeak(Cuda.Device dev, int n, int repeats) {
        Map<String, Double> out = new LinkedHashMap<>();
        float[] a = KernelChecks.random(n * n, 31), b = KernelChecks.random(n * n, 32);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long da = Transfers.upload(dev, arena, a), db = Transfers.upload(dev, arena, b), dc = arena.allocateFloats((long) n * n);
            long ha = arena.allocate(2L * n * n), hb = arena.allocate(2L * n * n);
            dev.kernels().toBf16(da, ha, (long) n * n);
            dev.kernels().toBf16(db, hb, (long) n * n);
            MemorySegment start = dev.driver().createEvent(), end = dev.driver().createEvent();
            try {
                for (Cublas.Precision p : Cublas.Precision.values()) {
                    long x = p == Cublas.Precision.BF16 ? ha : da, y = p == Cublas.Precision.BF16 ? hb : db;
                    for (int i = 0; i < 3; i++) dev.cublas().gemmRowMajor(p, false, false, n, n, n, x, n, 0, y, n, 0, dc, n, 0, 1, false);
                    dev.driver().record(start, dev.stream());
                    for (int i = 0; i < repeats; i++) dev.cublas().gemmRowMajor(p, false, false, n, n, n, x, n, 0, y, n, 0, dc, n, 0, 1, false);
                    dev.driver().record(end, dev.stream());
                    double ms = dev.driver().elapsedMillis(start, end) / repeats;
                    out.put(p.name().toLowerCase(), 2.0 * n * n * (double) n / (ms * 1e9));
                }
            } finally {
                dev.driver().destroyEvent(start);
                dev.driver().destroyEvent(end);
            }
        }
        return out;
    }
}
