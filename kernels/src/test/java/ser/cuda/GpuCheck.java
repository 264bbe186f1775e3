package ser.cuda;

import ser.audio.AudioLoader;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.hubert.WeightSource;
import ser.hubert.convert.HubertConverter;
import ser.io.Json;
import ser.io.Npy;
import ser.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CUDA backend checked on a real GPU, in one run: every kernel and the cuBLAS calls against their CPU
 * references ({@link KernelChecks}), then {@link CudaHubert} against the CPU engine (and the torchaudio fixtures,
 * and optionally transformers' hidden states) on the small fixture models and on base-size weights, then timing.
 * One line per check on stdout; everything in {@code OUT/TAG.json} and {@code OUT/TAG.txt}.
 * Test code, not shipped: it runs from kernels' test jar beside {@code ser.jar} ({@code tools/gpu/device-run.sh}).
 *
 * <pre>
 * java ... -cp ser.jar:ser-kernels-tests.jar ser.cuda.GpuCheck --out DIR [--fixtures engine/src/test/resources/fixtures/hubert] [--shared DIR]
 *      [--weights base.safetensors --speech a.wav,b.wav [--reference transformers_hidden.npy]]
 *      [--precisions fp32,tf32,bf16] [--batches 1,8,64] [--warmup 3] [--repeats 10] [--no-bench]
 *      [--sections kernels,gemm_peak,first_conv,fixtures,base,bench] [--tag gpu-check]
 * </pre>
 * Exit status 0 when every check passed, 1 when one failed, 2 without a usable GPU.
 */
public final class GpuCheck {

    /** Tolerance on hidden states, relative to each state's largest value: the 1e-4 for fp32, 1e-2 else. */
    static double tolerance(Cublas.Precision p) {
        return p == Cublas.Precision.FP32 ? 1e-4 : 1e-2;
    }

    private final Map<String, String> opts;
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private int passed, failed;
    private Cuda.Device dev;

    private GpuCheck(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            opts.put(key, flag ? "true" : args[++i]);
        }
        System.exit(new GpuCheck(opts).run());
    }

    private int run() throws Exception {
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        try {
            Cuda.Availability a = Cuda.availability();
            say("CUDA backend: " + (a.available() ? "available, " : "unavailable: ") + a.reason());
            if (!a.available()) {
                report.put("available", false);
                report.put("reason", a.reason());
                return 2;
            }
            dev = Cuda.device();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", dev.name());
            d.put("compute_capability", dev.computeCapability());
            d.put("memory_bytes", dev.memoryBytes());
            d.put("driver_library", dev.driver().libraryName());
            report.put("device", d);
            say(String.format("device: %s, sm_%d, %.1f GiB", dev.name(), dev.computeCapability(), dev.memoryBytes() / 1073741824.0));
            List<String> sections = Arrays.asList(opts.getOrDefault("sections", "kernels,gemm_peak,first_conv,fixtures,base,bench").split(","));
            if (sections.contains("kernels")) section("kernels", this::kernels);
            if (sections.contains("gemm_peak")) section("gemm_peak", this::gemmPeak);
            if (sections.contains("first_conv")) section("first_conv", this::firstConv);
            if (sections.contains("fixtures")) section("fixtures", this::fixtures);
            if (sections.contains("base") && opts.containsKey("weights")) section("base", this::base);
            if (sections.contains("bench") && opts.containsKey("weights") && !opts.containsKey("no-bench")) section("bench", this::bench);
            return failed == 0 ? 0 : 1;
        } finally {
            report.put("passed", passed);
            report.put("failed", failed);
            say(String.format("checks: %d passed, %d failed", passed, failed));
            String tag = opts.getOrDefault("tag", "gpu-check");
            Json.writeFile(out.resolve(tag + ".json"), report);
            Files.writeString(out.resolve(tag + ".txt"), text, StandardCharsets.UTF_8);
        }
    }

    private interface Section {
        Object run() throws Exception;
    }

    private void section(String name, Section body) {
        say("== " + name);
        long t0 = System.nanoTime();
        try {
            report.put(name, body.run());
        } catch (Throwable t) {
            failed++;
            say("FAIL section " + name + ": " + t);
            t.printStackTrace();
            report.put(name, Map.of("error", String.valueOf(t)));
        }
        say(String.format("   (%s: %.1f s)", name, (System.nanoTime() - t0) / 1e9));
    }

    private void say(String line) {
        System.out.println(line);
        System.out.flush();
        text.append(line).append('\n');
    }

    private Object record(KernelChecks.Check c) {
        if (c.passed()) passed++; else failed++;
        say(c.line());
        return checkJson(c);
    }

    private Object record(StateComparison c) {
        if (c.passed()) passed++; else failed++;
        say(c.line());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("passed", c.passed());
        m.put("tolerance", c.tolerance());
        m.put("worst_relative", finite(c.worst().relative()));
        m.put("worst_state", c.states().indexOf(c.worst()));
        m.put("relative_per_state", c.states().stream().map(s -> finite(s.relative())).toList());
        m.put("max_abs_error_per_state", c.states().stream().map(s -> finite(s.maxAbsError())).toList());
        return m;
    }

    private static Map<String, Object> checkJson(KernelChecks.Check c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("passed", c.passed());
        m.put("max_abs_error", finite(c.maxAbsError()));
        m.put("reference_max_abs", finite(c.referenceMaxAbs()));
        m.put("relative", finite(c.relative()));
        m.put("tolerance", c.tolerance());
        m.put("elements", c.elements());
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : String.valueOf(v);
    }

    private List<Cublas.Precision> precisions() {
        return Arrays.stream(opts.getOrDefault("precisions", "fp32,tf32,bf16").split(","))
                .map(s -> Cublas.Precision.valueOf(s.trim().toUpperCase())).toList();
    }

    // ---- sections ------------------------------------------------------------------------------------------------

    private Object kernels() {
        List<Object> out = new ArrayList<>();
        for (KernelChecks.Check c : KernelChecks.all(dev)) out.add(record(c));
        return out;
    }

    private Object gemmPeak() {
        int n = Integer.parseInt(opts.getOrDefault("gemm-size", "8192"));
        Map<String, Double> peak = GpuBench.gemmPeak(dev, n, 10);
        peak.forEach((p, tf) -> say(String.format("     cuBLAS %dx%dx%d %-5s %7.1f TFLOP/s", n, n, n, p, tf)));
        Map<String, Object> m = new LinkedHashMap<>(peak);
        m.put("size", n);
        return m;
    }

    private Object firstConv() {
        int batch = Integer.parseInt(opts.getOrDefault("first-conv-batch", "64"));
        Map<String, Double> ms = GpuBench.firstConvKernels(dev, batch, 10);
        double bytes = 4.0 * batch * 512 * 9599;
        ms.forEach((k, v) -> say(String.format("     %-24s %8.3f ms per launch (batch %d x 3 s; %.0f GB/s per pass over the"
                + " [%d, 512, 9599] activation)", k, v, batch, bytes / (v * 1e6), batch)));
        Map<String, Object> m = new LinkedHashMap<>(ms);
        m.put("batch", batch);
        return m;
    }

    /** The small oracle models of the engine's tests: GPU vs CPU engine vs torchaudio, single clips and padded batches. */
    private Object fixtures() throws Exception {
        Path dir = Path.of(opts.getOrDefault("fixtures", "engine/src/test/resources/fixtures/hubert"));
        List<Object> out = new ArrayList<>();
        for (String model : List.of("small-base", "small-large")) {
            Path hf = dir.resolve(model).resolve("hf");
            HubertConverter.Converted converted = HubertConverter.read(hf, null);
            WeightSource weights = WeightSource.of(converted.tensors(), hf.toString());
            Hubert cpu = new Hubert(converted.config(), weights);
            Map<Cublas.Precision, CudaHubert> gpus = new LinkedHashMap<>();
            try {
                for (Cublas.Precision p : precisions()) gpus.put(p, new CudaHubert(dev, converted.config(), weights, p));
                for (String input : List.of("synth-single", "synth-batch", "speech-single", "speech-batch")) {
                    Path dump = dir.resolve(model).resolve(input);
                    List<float[]> clips = fixtureClips(dir, dump.resolve("manifest.json"));
                    String what = model + "/" + input;
                    if (clips == null) {
                        say("skip " + what + ": its RAVDESS clips are not under --shared");
                        continue;
                    }
                    HubertOutput cpuOut = cpu.forward(clips);
                    Tensor torchaudio = Npy.read(dump.resolve("hidden_states.npy"));
                    out.add(record(StateComparison.of(what + " CPU engine vs torchaudio", torchaudio, cpuOut.hiddenStates(), 1e-4)));
                    for (var e : gpus.entrySet()) {
                        String p = e.getKey().name().toLowerCase();
                        HubertOutput gpuOut = e.getValue().forward(clips);
                        out.add(record(StateComparison.of(what + " GPU " + p + " vs CPU engine", cpuOut, gpuOut, tolerance(e.getKey()))));
                        if (e.getKey() == Cublas.Precision.FP32) {
                            out.add(record(StateComparison.of(what + " GPU fp32 vs torchaudio", torchaudio, gpuOut.hiddenStates(), 1e-4)));
                            CudaHubert.Stages st = e.getValue().stages();
                            Tensor projected = Npy.read(dump.resolve("projected.npy")), pos = Npy.read(dump.resolve("pos_conv.npy"));
                            float[] sum = projected.toArray(), p2 = pos.toArray();
                            for (int i = 0; i < sum.length; i++) sum[i] += p2[i];
                            out.add(record(KernelChecks.compare(what + " GPU fp32 features vs torchaudio",
                                    Npy.read(dump.resolve("features.npy")).toArray(), st.features().toArray(), 1e-4)));
                            out.add(record(KernelChecks.compare(what + " GPU fp32 projection vs torchaudio",
                                    projected.toArray(), st.projected().toArray(), 1e-4)));
                            out.add(record(KernelChecks.compare(what + " GPU fp32 projection + pos conv vs torchaudio",
                                    sum, st.projectedPlusPositional().toArray(), 1e-4)));
                        }
                    }
                }
            } finally {
                for (CudaHubert g : gpus.values()) g.close();
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<float[]> fixtureClips(Path dir, Path manifest) {
        Map<String, Object> m = (Map<String, Object>) Json.read(manifest);
        List<float[]> clips = new ArrayList<>();
        if (m.get("source").equals("synthetic")) {
            for (Object name : (List<Object>) m.get("clips")) clips.add(Npy.read(dir.resolve("inputs").resolve((String) name)).toArray());
            return clips;
        }
        if (!opts.containsKey("shared")) return null;
        for (Object o : (List<Object>) m.get("clips")) {
            Map<String, Object> clip = (Map<String, Object>) o;
            Path wav = Path.of(opts.get("shared")).resolve("data").resolve("ravdess-16k").resolve((String) clip.get("file"));
            if (!Files.exists(wav)) return null;
            float[] all = AudioLoader.loadMono(wav, 16_000);
            int start = ((Number) clip.get("start")).intValue(), count = ((Number) clip.get("count")).intValue();
            clips.add(Arrays.copyOfRange(all, start, start + count));
        }
        return clips;
    }

    /** Base-size weights (converted by {@code ser convert}): GPU in each precision vs the CPU engine and transformers. */
    private Object base() {
        Path weights = Path.of(opts.get("weights"));
        List<float[]> speech = new ArrayList<>();
        for (String f : opts.getOrDefault("speech", "").split(",")) {
            if (!f.isBlank()) speech.add(Arrays.copyOf(AudioLoader.loadMono(Path.of(f.trim()), 16_000), 48_000));
        }
        if (speech.isEmpty()) speech.add(GpuBench.clips(1, 48_000, 7).getFirst());
        Map<String, List<float[]>> inputs = new LinkedHashMap<>();
        inputs.put("1 x 3 s", List.of(speech.getFirst()));
        if (speech.size() > 1) {
            inputs.put("2 x 3 s", List.of(speech.get(0), speech.get(1)));
            inputs.put("padded 3 s + 2.5 s", List.of(speech.get(0), Arrays.copyOf(speech.get(1), 40_000)));
        }
        long t0 = System.nanoTime();
        Hubert cpu = Hubert.load(weights);
        Map<String, HubertOutput> cpuOut = new LinkedHashMap<>();
        inputs.forEach((name, clips) -> cpuOut.put(name, cpu.forward(clips)));
        say(String.format("     CPU engine: loaded and ran %d inputs in %.1f s", inputs.size(), (System.nanoTime() - t0) / 1e9));
        List<Object> out = new ArrayList<>();
        Tensor transformers = null;
        String refInput = speech.size() > 1 ? "2 x 3 s" : "1 x 3 s";
        if (opts.containsKey("reference") && Files.exists(Path.of(opts.get("reference")))) {
            transformers = Npy.read(Path.of(opts.get("reference")));
            out.add(record(StateComparison.of("base " + refInput + " speech: CPU engine vs transformers fp32", transformers,
                    cpuOut.get(refInput).hiddenStates(), 1e-4)));
        } else {
            say("skip transformers comparison: no --reference file");
        }
        for (Cublas.Precision p : precisions()) {
            String pn = p.name().toLowerCase();
            try (CudaHubert gpu = CudaHubert.load(dev, weights, p)) {
                for (var e : inputs.entrySet()) {
                    HubertOutput g = gpu.forward(e.getValue());
                    out.add(record(StateComparison.of("base " + e.getKey() + " speech: GPU " + pn + " vs CPU engine",
                            cpuOut.get(e.getKey()), g, tolerance(p))));
                    if (transformers != null && e.getKey().equals(refInput)) {
                        out.add(record(StateComparison.of("base " + refInput + " speech: GPU " + pn + " vs transformers fp32",
                                transformers, g.hiddenStates(), tolerance(p))));
                    }
                }
            }
        }
        return out;
    }

    private Object bench() {
        Path weights = Path.of(opts.get("weights"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3")), repeats = Integer.parseInt(opts.getOrDefault("repeats", "10"));
        int samples = Integer.parseInt(opts.getOrDefault("samples", "48000"));
        List<Object> out = new ArrayList<>();
        for (Cublas.Precision p : precisions()) {
            try (CudaHubert gpu = CudaHubert.load(dev, weights, p)) {
                for (String b : opts.getOrDefault("batches", "1,8,64").split(",")) {
                    GpuBench.Timing t = GpuBench.time(dev, gpu, Integer.parseInt(b.trim()), samples, warmup, repeats);
                    say("     " + t.line());
                    Map<String, Object> j = t.json();
                    j.put("weights_bytes", gpu.weightBytes());
                    j.put("activation_bytes", gpu.activationBytes());
                    out.add(j);
                    if (b.trim().equals(opts.getOrDefault("stages-for", "64"))) {
                        t.stageMillis().forEach((s, ms) -> {
                            double f = t.stageFlops().getOrDefault(s, 0.0);
                            say(String.format("         %-36s %8.2f ms %s", s, ms, f > 0 ? String.format("%6.1f TFLOP/s", f / (ms * 1e9)) : ""));
                        });
                    }
                }
            }
        }
        return out;
    }
}
