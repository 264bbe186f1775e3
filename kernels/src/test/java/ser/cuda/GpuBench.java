package ser.cuda;

import ser.io.Json;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One benchmark per kernel that {@link CudaOps} launches, and cuBLAS's GEMM in each precision, at HuBERT base's
 * sizes (a batch of {@code --batch} 3 s clips: 149 frames each, width 768, feed-forward 3072, 12 heads), as llm.c's
 * {@code dev/cuda} benches its kernels: each launch is first checked against its CPU reference (the CPU engine,
 * {@code SimdOps}, doing the same operation), then timed, and printed in GB/s (memory-bound kernels: bytes read and
 * written once) or TFLOP/s (GEMMs) beside the CPU reference's own time for the same work.
 *
 * <p>Launches go through the package-private {@link Gpu} calls that {@link CudaOps} makes (no views, no pool), many in
 * a row, with a synchronising 4-byte download before each clock read: wall time of queued launches, so a kernel shorter
 * than its launch cost from Java (a few µs through FFM) shows that cost instead.
 *
 * <pre>
 * java ... -cp ser.jar:ser-kernels-tests.jar ser.cuda.GpuBench --out DIR [--batch 8] [--dim 768] [--ffn 3072] [--heads 12]
 *      [--min-ms 50] [--tag gpu-bench]
 * </pre>
 * Exit status 0, 1 when a kernel's output is off its CPU reference, 2 without a usable GPU. {@code --emulated} runs
 * the host twins of the kernels ({@link HostGpu}): it checks the bench itself; its timings mean nothing.
 */
final class GpuBench {

    private final Gpu gpu;
    private final Ops cpu;
    private final boolean emulated;
    private final double minMillis;
    private final List<Long> allocations = new ArrayList<>();
    private final long sync;
    private final StringBuilder text = new StringBuilder();
    private int failed;

    private GpuBench(Gpu gpu, Ops cpu, boolean emulated, double minMillis) {
        this.gpu = gpu;
        this.cpu = cpu;
        this.emulated = emulated;
        this.minMillis = minMillis;
        this.sync = gpu.malloc(256);
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        Map<String, String> opts = GpuCheck.options(args);
        boolean emulated = opts.containsKey("emulated");
        Map<String, Object> report = new LinkedHashMap<>();
        StringBuilder head = new StringBuilder();
        java.util.function.Consumer<String> say = line -> {
            System.out.println(line);
            head.append(line).append('\n');
        };
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        String tag = opts.getOrDefault("tag", "gpu-bench");
        if (GpuCheck.device(emulated, report, say) == null) {
            Json.writeFile(out.resolve(tag + ".json"), report);
            return 2;
        }
        Gpu gpu = emulated ? new HostGpu() : new CudaGpu(Cuda.device());
        try (Parallel pool = new Parallel(Runtime.getRuntime().availableProcessors())) {
            GpuBench b = new GpuBench(gpu, new SimdOps(pool), emulated, Double.parseDouble(opts.getOrDefault("min-ms", emulated ? "0" : "50")));
            b.text.append(head);
            b.say(String.format("CPU reference: SimdOps on %d threads", pool.threads()));
            int batch = Integer.parseInt(opts.getOrDefault("batch", "8")), frames = 149;
            int dim = Integer.parseInt(opts.getOrDefault("dim", "768")), ffn = Integer.parseInt(opts.getOrDefault("ffn", "3072"));
            int heads = Integer.parseInt(opts.getOrDefault("heads", "12"));
            Map<String, Object> sizes = new LinkedHashMap<>();
            sizes.put("batch", batch);
            sizes.put("frames", frames);
            sizes.put("dim", dim);
            sizes.put("ffn", ffn);
            sizes.put("heads", heads);
            report.put("sizes", sizes);
            List<Object> rows;
            try {
                rows = b.all(batch, frames, dim, ffn, heads);
            } finally {
                b.freeAll();
            }
            report.put("kernels", rows);
            report.put("failed", b.failed);
            Json.writeFile(out.resolve(tag + ".json"), report);
            Files.writeString(out.resolve(tag + ".txt"), b.text, StandardCharsets.UTF_8);
            return b.failed == 0 ? 0 : 1;
        }
    }

    private void say(String line) {
        System.out.println(line);
        System.out.flush();
        text.append(line).append('\n');
    }

    // ---- device memory ------------------------------------------------------------------------------------------

    private long upload(float[] x) {
        long p = malloc(4L * x.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(JAVA_FLOAT, x);
            gpu.upload(p, s, s.byteSize());
        }
        return p;
    }

    private long upload(int[] x) {
        long p = malloc(4L * x.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocateFrom(JAVA_INT, x);
            gpu.upload(p, s, s.byteSize());
        }
        return p;
    }

    private long malloc(long bytes) {
        long p = gpu.malloc(Math.max(bytes, 4));
        allocations.add(p);
        return p;
    }

    private float[] download(long p, int n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(4L * n, 64);
            gpu.download(s, p, s.byteSize());
            return s.toArray(JAVA_FLOAT);
        }
    }

    private int[] downloadInts(long p, int n) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(4L * n, 64);
            gpu.download(s, p, s.byteSize());
            return s.toArray(JAVA_INT);
        }
    }

    /** Waits for the stream: a 4-byte download. */
    private void sync() {
        try (Arena a = Arena.ofConfined()) {
            gpu.download(a.allocate(4), sync, 4);
        }
    }

    private void freeAll() {
        for (long p : allocations) gpu.free(p);
        allocations.clear();
        gpu.free(sync);
    }

    // ---- timing -------------------------------------------------------------------------------------------------

    /** Milliseconds per call of {@code body}: two warm-ups, then enough calls to fill {@link #minMillis}, {@code after} before each clock read. */
    private double millis(Runnable body, Runnable after) {
        body.run();
        body.run();
        after.run();
        long t0 = System.nanoTime();
        body.run();
        after.run();
        double once = (System.nanoTime() - t0) / 1e6;
        int repeats = (int) Math.max(1, Math.min(emulated ? 1 : 2000, Math.ceil(minMillis / Math.max(once, 1e-3))));
        t0 = System.nanoTime();
        for (int i = 0; i < repeats; i++) body.run();
        after.run();
        return (System.nanoTime() - t0) / 1e6 / repeats;
    }

    private Map<String, Object> row(String kernel, String shape, double bytes, double flops, Runnable launch, Runnable cpuRun,
                                    Check check) {
        double gpuMs = millis(launch, this::sync);
        double cpuMs = millis(cpuRun, () -> {});
        if (!check.passed()) failed++;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel", kernel);
        m.put("shape", shape);
        m.put("gpu_ms", gpuMs);
        m.put("cpu_ms", cpuMs);
        String rate;
        if (flops > 0) {
            m.put("gflop", flops / 1e9);
            m.put("gpu_tflops", flops / (gpuMs * 1e9));
            m.put("cpu_tflops", flops / (cpuMs * 1e9));
            rate = String.format("%8.1f TFLOP/s  CPU %9.3f ms %7.2f TFLOP/s", flops / (gpuMs * 1e9), cpuMs, flops / (cpuMs * 1e9));
        } else {
            m.put("mbytes", bytes / 1e6);
            m.put("gpu_gb_s", bytes / (gpuMs * 1e6));
            m.put("cpu_gb_s", bytes / (cpuMs * 1e6));
            rate = String.format("%8.1f GB/s     CPU %9.3f ms %7.1f GB/s", bytes / (gpuMs * 1e6), cpuMs, bytes / (cpuMs * 1e6));
        }
        m.put("speedup", cpuMs / gpuMs);
        m.put("check_relative", Double.isFinite(check.relative()) ? check.relative() : String.valueOf(check.relative()));
        m.put("check_passed", check.passed());
        say(String.format("%-4s %-34s %-22s GPU %9.4f ms %s  x%-7.1f (rel err %.1e)", check.passed() ? "ok" : "FAIL",
                kernel, shape, gpuMs, rate, cpuMs / gpuMs, check.relative()));
        return m;
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static long[] dense(int... shape) {
        long[] st = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { st[i] = s; s *= shape[i]; }
        return st;
    }

    // ---- the kernels ----------------------------------------------------------------------------------------------

    private List<Object> all(int batch, int frames, int dim, int ffn, int heads) {
        List<Object> out = new ArrayList<>();
        int rows = batch * frames;
        say(String.format("HuBERT base sizes: batch %d x 3 s = %d rows of %d (feed-forward %d), %d heads", batch, rows, dim, ffn, heads));
        String rf = "[" + rows + ", " + ffn + "]", rd = "[" + rows + ", " + dim + "]";
        int n = rows * ffn;
        float[] x = random(n, 1), y = random(n, 2), bias = random(ffn, 3);
        long dx = upload(x), dy = upload(y), dbias = upload(bias), dout = malloc(4L * n);
        Tensor hx = Tensor.wrap(x, rows, ffn), hy = Tensor.wrap(y, rows, ffn), hout = Tensor.zeros(rows, ffn);

        // strided_map, contiguous: x + y
        StridedMap add = StridedMap.of(StridedMap.ADD, 0f, new int[] {rows, ffn}, dense(rows, ffn), new int[] {rows, ffn},
                dense(rows, ffn), new int[] {rows, ffn}, dense(rows, ffn));
        gpu.stridedMap(add, dx, dy, dout);
        cpu.add(hx, hy, hout);
        out.add(row("strided_map add (contiguous)", rf, 12.0 * n, 0, () -> gpu.stridedMap(add, dx, dy, dout),
                () -> cpu.add(hx, hy, hout), Check.compare("add", hout.toArray(), download(dout, n), 0)));

        // strided_map, a bias row broadcast over the rows (stride 0)
        StridedMap bcast = StridedMap.of(StridedMap.ADD, 0f, new int[] {rows, ffn}, dense(rows, ffn), new int[] {rows, ffn},
                dense(rows, ffn), new int[] {rows, ffn}, new long[] {0, 1});
        Tensor hb = Tensor.wrap(bias, ffn);
        gpu.stridedMap(bcast, dx, dbias, dout);
        cpu.add(hx, hb, hout);
        out.add(row("strided_map add (broadcast row)", rf, 8.0 * n + 4.0 * ffn, 0, () -> gpu.stridedMap(bcast, dx, dbias, dout),
                () -> cpu.add(hx, hb, hout), Check.compare("add bias", hout.toArray(), download(dout, n), 0)));

        // strided_map copy of a transposed view: x stored [dim, rows], read as [rows, dim]
        int nd = rows * dim;
        Tensor stored = Tensor.wrap(java.util.Arrays.copyOf(x, nd), dim, rows), view = stored.transpose(0, 1), hd = Tensor.zeros(rows, dim);
        StridedMap transposed = StridedMap.of(StridedMap.COPY, 0f, new int[] {rows, dim}, dense(rows, dim), new int[] {rows, dim},
                new long[] {1, rows}, null, null);
        long dst = upload(stored.toArray()), dd = malloc(4L * nd);
        gpu.stridedMap(transposed, dst, 0, dd);
        cpu.copy(view, hd);
        out.add(row("strided_map copy (transposed)", rd, 8.0 * nd, 0, () -> gpu.stridedMap(transposed, dst, 0, dd),
                () -> cpu.copy(view, hd), Check.compare("transpose", hd.toArray(), download(dd, nd), 0)));

        // strided_map gelu
        StridedMap gelu = StridedMap.of(StridedMap.GELU, 0f, new int[] {rows, ffn}, dense(rows, ffn), new int[] {rows, ffn},
                dense(rows, ffn), null, null);
        gpu.stridedMap(gelu, dx, 0, dout);
        cpu.gelu(hx, hout);
        out.add(row("strided_map gelu", rf, 8.0 * n, 0, () -> gpu.stridedMap(gelu, dx, 0, dout), () -> cpu.gelu(hx, hout),
                Check.compare("gelu", hout.toArray(), download(dout, n), 1e-6)));

        // row_reduce: sum of each row
        Tensor hxd = Tensor.wrap(java.util.Arrays.copyOf(x, nd), rows, dim), hsum = Tensor.zeros(rows);
        long dxd = upload(hxd.toArray()), dsum = malloc(4L * rows);
        gpu.rowReduce(CudaOps.ROW_SUM, dxd, dsum, rows, dim);
        cpu.sum(hxd, hsum);
        out.add(row("row_reduce sum", rd, 4.0 * nd + 4.0 * rows, 0, () -> gpu.rowReduce(CudaOps.ROW_SUM, dxd, dsum, rows, dim),
                () -> cpu.sum(hxd, hsum), Check.compare("sum", hsum.toArray(), download(dsum, rows), 1e-5)));

        // row_softmax: a batch's attention scores, [batch·heads·frames, frames]
        int srows = batch * heads * frames, ns = srows * frames;
        Tensor hs = Tensor.wrap(random(ns, 4), srows, frames), hso = Tensor.zeros(srows, frames);
        long ds = upload(hs.toArray()), dso = malloc(4L * ns);
        gpu.rowSoftmax(ds, dso, srows, frames, false);
        cpu.softmax(hs, hso);
        out.add(row("row_softmax", "[" + srows + ", " + frames + "]", 8.0 * ns, 0, () -> gpu.rowSoftmax(ds, dso, srows, frames, false),
                () -> cpu.softmax(hs, hso), Check.compare("softmax", hso.toArray(), download(dso, ns), 1e-5)));

        // row_argmax
        int[] want = new int[rows];
        long darg = malloc(4L * rows);
        gpu.rowArgmax(dxd, darg, rows, dim);
        cpu.argmax(hxd, want);
        out.add(row("row_argmax", rd, 4.0 * nd + 4.0 * rows, 0, () -> gpu.rowArgmax(dxd, darg, rows, dim), () -> cpu.argmax(hxd, want),
                Check.exact("argmax", want, downloadInts(darg, rows))));

        // row_layer_norm with gamma and beta
        float[] gamma = random(dim, 5), beta = random(dim, 6);
        Tensor hg = Tensor.wrap(gamma, dim), hbeta = Tensor.wrap(beta, dim), hln = Tensor.zeros(rows, dim);
        long dg = upload(gamma), dbeta = upload(beta), dln = malloc(4L * nd);
        gpu.rowLayerNorm(dxd, dg, dbeta, dln, rows, dim, 1e-5f);
        cpu.layerNorm(hxd, hg, hbeta, 1e-5f, hln);
        out.add(row("row_layer_norm", rd, 8.0 * nd, 0, () -> gpu.rowLayerNorm(dxd, dg, dbeta, dln, rows, dim, 1e-5f),
                () -> cpu.layerNorm(hxd, hg, hbeta, 1e-5f, hln), Check.compare("layer norm", hln.toArray(), download(dln, nd), 1e-5)));

        // mask_rows: [batch, frames, dim], one clip in two padded
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = b % 2 == 0 ? frames : frames - 24;
        Tensor hm = hxd.reshape(batch, frames, dim), hmo = Tensor.zeros(batch, frames, dim);
        long dlen = upload(lengths), dmo = malloc(4L * nd);
        gpu.maskRows(dxd, dmo, dlen, batch, frames, dim);
        cpu.maskRows(hm, lengths, hmo);
        out.add(row("mask_rows", "[" + batch + ", " + frames + ", " + dim + "]", 8.0 * nd, 0,
                () -> gpu.maskRows(dxd, dmo, dlen, batch, frames, dim), () -> cpu.maskRows(hm, lengths, hmo),
                Check.compare("mask rows", hmo.toArray(), download(dmo, nd), 0)));

        // frame_windows: the first conv's windows of one 3 s clip, with the bias column
        int samples = 48_000, kernel = 10, stride = 5, wframes = (samples - kernel) / stride + 1, width = kernel + 1;
        float[] signal = random(samples, 7);
        Tensor hsig = Tensor.wrap(signal, samples), hw = Tensor.zeros(wframes, width);
        long dsig = upload(signal), dw = malloc(4L * wframes * width);
        gpu.frameWindows(dsig, dw, wframes, kernel, stride, 0.125f, width);
        cpu.frameWindows(hsig, kernel, stride, 0.125f, hw);
        out.add(row("frame_windows", "[" + wframes + ", " + width + "]", 4.0 * wframes * width + 4.0 * samples, 0,
                () -> gpu.frameWindows(dsig, dw, wframes, kernel, stride, 0.125f, width),
                () -> cpu.frameWindows(hsig, kernel, stride, 0.125f, hw),
                Check.compare("frame windows", hw.toArray(), download(dw, wframes * width), 0)));

        // f32_to_bf16; its CPU reference is HostGpu.bf16 over an array
        long dh = malloc(2L * n);
        short[] hh = new short[n];
        gpu.toBf16(dx, dh, n);
        Runnable cpuBf16 = () -> { for (int i = 0; i < n; i++) hh[i] = HostGpu.bf16(x[i]); };
        cpuBf16.run();
        float[] back = new float[n], wantBf = new float[n];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(2L * n, 64);
            gpu.download(s, dh, s.byteSize());
            for (int i = 0; i < n; i++) {
                back[i] = Float.intBitsToFloat((s.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i) & 0xffff) << 16);
                wantBf[i] = Float.intBitsToFloat((hh[i] & 0xffff) << 16);
            }
        }
        out.add(row("f32_to_bf16", rf, 6.0 * n, 0, () -> gpu.toBf16(dx, dh, n), cpuBf16, Check.compare("bf16", wantBf, back, 0)));

        // cuBLAS: the feed-forward's first product, [rows, dim] x [dim, ffn], in each precision; CPU: SimdOps, prepacked
        float[] w = random(dim * ffn, 8);
        Tensor ha = hxd, hw2 = Tensor.wrap(w, dim, ffn), hc = Tensor.zeros(rows, ffn);
        PackedMatrix packed = cpu.prepack(hw2);
        cpu.gemm(1f, ha, packed, 0f, hc);
        float[] wantC = hc.toArray();
        long dw2 = upload(w), dc = malloc(4L * n), ha16 = malloc(2L * nd), hw16 = malloc(2L * dim * ffn);
        gpu.toBf16(dxd, ha16, nd);
        gpu.toBf16(dw2, hw16, (long) dim * ffn);
        double flops = 2.0 * rows * dim * ffn;
        for (Cublas.Precision p : Cublas.Precision.values()) {
            long a = p == Cublas.Precision.BF16 ? ha16 : dxd, b = p == Cublas.Precision.BF16 ? hw16 : dw2;
            Runnable launch = () -> gpu.gemm(p, false, false, rows, ffn, dim, 1f, a, dim, 0, b, ffn, 0, 0f, dc, ffn, 0, 1);
            launch.run();
            double tol = p == Cublas.Precision.FP32 ? 1e-5 : p == Cublas.Precision.TF32 ? 5e-3 : 2e-2;
            out.add(row("cuBLAS gemm " + p.name().toLowerCase(), "[" + rows + ", " + dim + "] x [" + dim + ", " + ffn + "]", 0, flops,
                    launch, () -> cpu.gemm(1f, ha, packed, 0f, hc), Check.compare("gemm", wantC, download(dc, n), tol)));
        }
        return out;
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
}
