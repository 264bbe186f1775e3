package ser.cuda;

import ser.audio.AudioLoader;
import ser.hubert.Hubert;
import ser.hubert.HubertOutput;
import ser.hubert.WeightSource;
import ser.hubert.convert.HubertConverter;
import ser.io.Json;
import ser.io.Npy;
import ser.tensor.Parallel;
import ser.tensor.SimdOps;
import ser.tensor.Tensor;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CUDA backend checked on a real GPU, in one run: the engine's own HuBERT ({@code ser.hubert.Hubert}) on
 * {@link CudaOps}, which is the only GPU forward pass there is. Sections:
 * <ul>
 * <li>{@code ops}: every {@link ser.tensor.Ops} method of {@link CudaOps} against {@code ScalarOps} on random inputs
 *     and views ({@link OpsChecks}): all of them in fp32, the GEMM family in tf32 and bf16; {@code SimdOps}'s own
 *     error beside each;</li>
 * <li>{@code fixtures}: the engine's small HuBERT fixture models on {@link CudaOps} against the torchaudio dumps
 *     (features, projection, positional conv, every hidden state; fp32, as {@code HubertBackendsTest}) and against the
 *     CPU engine in each precision;</li>
 * <li>{@code base}: HuBERT base weights ({@code --weights}, converted by {@code ser convert}) on {@link CudaOps} in each
 *     precision against the CPU engine on speech (fp32 within 1e-4 of each state's largest value, tf32 within 5e-3;
 *     bf16 reported beside PyTorch's own bf16 autocast error on the same clips, {@code --torch-json}, and held to
 *     2e-2 as a regression guard), and against transformers' hidden states ({@code --reference});</li>
 * <li>{@code training}: every {@code TrainingOps} method of {@link CudaOps} against {@code HostTrainingOps.REFERENCE}
 *     ({@link TrainingOpsChecks}; fp32, linear and conv2d also in tf32 and bf16), then the Mel CNN trained for
 *     {@code --train-steps} steps at {@code --train-batch} on {@link CudaOps} in each precision and on
 *     {@code HostTrainingOps.SIMD} from the same seed on the same batches ({@link MelCnnTraining}): both loss curves,
 *     held step by step to {@link #trainTolerance};</li>
 * <li>{@code train-bench}: wall time of one Mel CNN training step with Adam (forward, cross-entropy, backward,
 *     clipping, update, ending with a download) on {@link CudaOps} at each of {@code --train-batches}, each
 *     precision, median of {@code --train-repeats} after {@code --train-warmup};</li>
 * <li>{@code bench}: HuBERT base, batches of 3 s clips in each precision: wall time of a whole {@code forward}
 *     (which ends with the download of its states, so the GPU's work is done when the clock is read), ms per batch
 *     and × real time, all 13 states and the last state only.</li>
 * </ul>
 * One line per check on stdout; everything in {@code OUT/TAG.json} and {@code OUT/TAG.txt}. Test code, not shipped:
 * it runs from kernels' test jar beside {@code ser.jar} ({@code tools/gpu/device-run.sh}).
 *
 * <pre>
 * java ... -cp ser.jar:ser-kernels-tests.jar ser.cuda.GpuCheck --out DIR [--sections ops,fixtures,training,train-bench,base,bench]
 *      [--train-steps 10] [--train-batch 16] [--train-optimizer sgd|adam] [--train-batches 32,128] [--train-warmup 3]
 *      [--train-repeats 10]
 *      [--fixtures engine/src/test/resources/fixtures/hubert] [--shared DIR]
 *      [--weights base.safetensors --speech a.wav,b.wav [--reference transformers_hidden.npy] [--torch-json torch-bench.json]]
 *      [--precisions fp32,tf32,bf16] [--batches 1,8,64] [--warmup 2] [--repeats 5] [--tag gpu-check]
 * </pre>
 * Exit status 0 when every check passed, 1 when one failed, 2 without a usable GPU. {@code --emulated} runs
 * {@link CudaOps} on {@link HostGpu} instead (the harness's own test, {@code GpuCheckEmulatedTest}; small sizes).
 */
public final class GpuCheck {

    /** Tolerance on hidden states, relative to each state's largest value: the 1e-4 (fp32) and 5e-3 (tf32); 2e-2 guards bf16. */
    static double tolerance(Cublas.Precision p) {
        return switch (p) {
            case FP32 -> 1e-4;
            case TF32 -> 5e-3;
            case BF16 -> 2e-2;
        };
    }

    /** The sections, in the order they run. */
    static final List<String> SECTIONS = List.of("ops", "fixtures", "training", "train-bench", "base", "bench");

    private final Map<String, String> opts;
    private final boolean emulated;
    private final StringBuilder text = new StringBuilder();
    private final Map<String, Object> report = new LinkedHashMap<>();
    private int passed, failed;
    /** HuBERT base on CudaOps per precision: loaded (weights uploaded) once for base and bench. */
    private final Map<Cublas.Precision, Hubert> models = new LinkedHashMap<>();
    private final Map<Cublas.Precision, CudaOps> backends = new LinkedHashMap<>();
    private final Parallel one = new Parallel(1);

    private GpuCheck(Map<String, String> opts) {
        this.opts = opts;
        this.emulated = opts.containsKey("emulated");
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** {@link #main} without the exit: the exit status. */
    static int run(String[] args) throws Exception {
        return new GpuCheck(options(args)).run();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            boolean flag = i + 1 >= args.length || args[i + 1].startsWith("--");
            opts.put(key, flag ? "true" : args[++i]);
        }
        return opts;
    }

    /** The backend under test in one precision: on the GPU, or with --emulated on the host twins of the kernels. */
    static CudaOps open(boolean emulated, Cublas.Precision p) {
        return emulated ? new CudaOps(new HostGpu(), p) : new CudaOps(p);
    }

    /** Says which GPU runs the checks into {@code report}; null when there is none (and why, on stdout). */
    static String device(boolean emulated, Map<String, Object> report, java.util.function.Consumer<String> say) {
        if (emulated) {
            report.put("device", Map.of("name", "emulated (HostGpu)"));
            say.accept("device: emulated, CudaOps on HostGpu (the host twins of the kernels): checks the harness, times nothing");
            return "emulated";
        }
        Cuda.Availability a = Cuda.availability();
        if (!a.available()) {
            say.accept("no GPU: CUDA backend unavailable: " + a.reason());
            report.put("available", false);
            report.put("reason", a.reason());
            return null;
        }
        Cuda.Device dev = Cuda.device();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", dev.name());
        d.put("compute_capability", dev.computeCapability());
        d.put("memory_bytes", dev.memoryBytes());
        d.put("driver_library", dev.driver().libraryName());
        report.put("device", d);
        say.accept(String.format("device: %s, sm_%d, %.1f GiB", dev.name(), dev.computeCapability(), dev.memoryBytes() / 1073741824.0));
        return dev.name();
    }

    private int run() throws Exception {
        Path out = Path.of(opts.getOrDefault("out", "."));
        Files.createDirectories(out);
        try {
            if (device(emulated, report, this::say) == null) return 2;
            List<String> sections = Arrays.asList(opts.getOrDefault("sections", String.join(",", SECTIONS)).split(","));
            for (String s : sections) {
                if (!SECTIONS.contains(s)) throw new IllegalArgumentException("no section " + s);
            }
            if (sections.contains("ops")) section("ops", this::ops);
            if (sections.contains("fixtures")) section("fixtures", this::fixtures);
            if (sections.contains("training")) section("training", this::training);
            if (sections.contains("train-bench")) section("train-bench", this::trainBench);
            boolean weights = opts.containsKey("weights");
            if (!weights && (sections.contains("base") || sections.contains("bench"))) say("skip base, bench: no --weights");
            if (sections.contains("base") && weights) section("base", this::base);
            if (sections.contains("bench") && weights) section("bench", this::bench);
            return failed == 0 ? 0 : 1;
        } finally {
            report.put("passed", passed);
            report.put("failed", failed);
            say(String.format("checks: %d passed, %d failed", passed, failed));
            one.close();
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

    private Map<String, Object> record(Check c) {
        return record(c, "");
    }

    private Map<String, Object> record(Check c, String suffix) {
        if (c.passed()) passed++; else failed++;
        say(c.line() + suffix);
        return checkJson(c);
    }

    private Map<String, Object> record(StateComparison c) {
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

    private static Map<String, Object> checkJson(Check c) {
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

    // ---- ops ------------------------------------------------------------------------------------------------------

    /** Every Ops method of CudaOps vs ScalarOps, SimdOps's error vs ScalarOps on the same check beside it. */
    private Object ops() {
        boolean large = Boolean.parseBoolean(opts.getOrDefault("large", String.valueOf(!emulated)));
        List<Object> out = new ArrayList<>();
        Map<String, Check> simd = new LinkedHashMap<>();
        try (Parallel pool = new Parallel(Math.min(8, Runtime.getRuntime().availableProcessors()))) {
            for (Check c : OpsChecks.all(new SimdOps(pool), large)) simd.put(c.name().replace(" [fp32]", ""), c);
        }
        for (Cublas.Precision p : precisions()) {
            CudaOps ops = open(emulated, p);
            List<Check> checks = p == Cublas.Precision.FP32 ? OpsChecks.all(ops, large) : OpsChecks.gemms(ops, p, large);
            for (Check c : checks) {
                Check cpu = simd.get(c.name().replaceAll(" \\[(fp32|tf32|bf16)]$", ""));
                Map<String, Object> j = record(c, cpu == null ? "" : String.format("  SimdOps rel %.1e", cpu.relative()));
                if (cpu != null) j.put("simd_relative", finite(cpu.relative()));
                out.add(j);
            }
        }
        long simdOff = simd.values().stream().filter(c -> !c.passed()).count();
        say(String.format("     SimdOps against the same reference, same checks: worst rel %.3e%s",
                simd.values().stream().mapToDouble(Check::relative).max().orElse(0),
                simdOff == 0 ? "" : " (" + simdOff + " over the GPU's tolerance: the tolerances are the GPU's, not the CPU's)"));
        return out;
    }

    // ---- training ---------------------------------------------------------------------------------------------------

    /**
     * How far a GPU loss curve may stray from the CPU's: at every step, |GPU loss − CPU loss| over the CPU loss (at
     * least 1e-2). Measured on the emulated GPU (HostGpu against the CPU's SIMD kernels, 10 steps at batch 4), the
     * worst step part by 4e-6 (fp32), 6e-4 (tf32), 4e-3 (bf16) with SGD and 3e-4 (fp32), 3e-2 (bf16) with Adam.
     * SGD with momentum is linear in the gradient, so the runs part as their gradients' rounding does, without
     * amplification: fp32 2e-4, a margin of about 50 for other summation orders (cuBLAS, the GPU's reductions) and a
     * max-pool window whose top two values are within rounding. Adam divides each gradient by its own running root
     * mean square, so the rounding of a near-zero gradient becomes an update of up to lr (MelCnnStepBackendsTest),
     * and at lr 1e-3 on random targets the loss swings by tens: fp32 1e-2. tf32 and bf16 (10- and 8-bit mantissas
     * into every convolution and the classifier) are guards against a broken kernel, not accuracy claims: SGD 1e-2
     * and 5e-2, Adam 1e-1 and 2e-1; the curves are reported.
     */
    static double trainTolerance(Cublas.Precision p, MelCnnTraining.Optimiser o) {
        boolean adam = o == MelCnnTraining.Optimiser.ADAM;
        return switch (p) {
            case FP32 -> adam ? 1e-2 : 2e-4;
            case TF32 -> adam ? 1e-1 : 1e-2;
            case BF16 -> adam ? 2e-1 : 5e-2;
        };
    }

    /**
     * A GPU loss curve against the CPU's, step by step: the worst step's |difference| and its CPU loss (at least
     * 1e-2), so that the check's relative error is the worst step's.
     */
    static Check lossCurve(String name, float[] cpu, float[] gpu, double tolerance) {
        double worstRel = -1, err = 0, ref = 1;
        int at = 0;
        for (int s = 0; s < cpu.length; s++) {
            double e = Math.abs((double) gpu[s] - cpu[s]), r = Math.max(Math.abs(cpu[s]), 1e-2), rel = e / r;
            if (!(rel <= worstRel)) {
                worstRel = rel;
                err = e;
                ref = r;
                at = s;
            }
        }
        return new Check(name + " (worst: step " + at + ")", err, ref, tolerance, cpu.length);
    }

    /** Every TrainingOps method of CudaOps vs the float64 reference, then a Mel CNN trained on CudaOps and on the CPU. */
    private Object training() {
        boolean large = Boolean.parseBoolean(opts.getOrDefault("large", String.valueOf(!emulated)));
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> checks = new ArrayList<>();
        for (Cublas.Precision p : precisions()) {
            CudaOps ops = open(emulated, p);
            List<Check> cs = p == Cublas.Precision.FP32 ? TrainingOpsChecks.all(ops, large) : TrainingOpsChecks.gemms(ops, p, large);
            for (Check c : cs) checks.add(record(c));
            trim(ops);
        }
        out.put("ops", checks);

        int steps = Integer.parseInt(opts.getOrDefault("train-steps", emulated ? "2" : "10"));
        int batch = Integer.parseInt(opts.getOrDefault("train-batch", emulated ? "2" : "16"));
        MelCnnTraining.Optimiser optimiser = MelCnnTraining.Optimiser.valueOf(opts.getOrDefault("train-optimizer", "sgd").toUpperCase());
        List<MelCnnTraining.Batch> batches = MelCnnTraining.batches(steps, batch);
        say(String.format("     Mel CNN: %d steps of %s (lr %s) at batch %d, model seed %d, batches seed %d, dropout 0.2, clipping to norm 1",
                steps, optimiser.name().toLowerCase(), optimiser.lr, batch, MelCnnTraining.MODEL_SEED, MelCnnTraining.DATA_SEED));
        long t0 = System.nanoTime();
        MelCnnTraining.Run cpu = MelCnnTraining.run(ser.autograd.kernels.HostTrainingOps.SIMD, optimiser, batches);
        say(String.format("     CPU (HostTrainingOps.SIMD): %.1f s; losses %s", (System.nanoTime() - t0) / 1e9, curve(cpu.losses(), "%.5f")));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("steps", steps);
        run.put("batch", batch);
        run.put("optimizer", optimiser.name().toLowerCase());
        run.put("lr", optimiser.lr);
        run.put("cpu_losses", cpu.losses());
        List<Object> curves = new ArrayList<>();
        for (Cublas.Precision p : precisions()) {
            String pn = p.name().toLowerCase();
            CudaOps ops = open(emulated, p);
            t0 = System.nanoTime();
            MelCnnTraining.Run gpu = MelCnnTraining.run(ops, optimiser, batches);
            double seconds = (System.nanoTime() - t0) / 1e9;
            float[] rel = new float[steps];
            for (int st = 0; st < steps; st++) {
                rel[st] = (float) (Math.abs((double) gpu.losses()[st] - cpu.losses()[st]) / Math.max(Math.abs(cpu.losses()[st]), 1e-2));
            }
            say(String.format("     GPU %s: %.1f s; losses %s", pn, seconds, curve(gpu.losses(), "%.5f")));
            say(String.format("     GPU %s: |GPU - CPU| / CPU loss, per step %s", pn, curve(rel, "%.1e")));
            Object[] state = MelCnnTraining.worstState(cpu.state(), gpu.state());
            Map<String, Object> j = record(lossCurve(String.format("Mel CNN %d %s steps, batch %d: GPU %s loss curve vs CPU",
                    steps, optimiser.name().toLowerCase(), batch, pn), cpu.losses(), gpu.losses(), trainTolerance(p, optimiser)),
                    String.format("  parameters after: worst rel %.1e (%s)", (double) state[0], state[1]));
            j.put("precision", pn);
            j.put("losses", gpu.losses());
            j.put("relative_per_step", rel);
            j.put("state_worst_relative", finite((double) state[0]));
            j.put("state_worst_tensor", state[1]);
            j.put("seconds", seconds);
            curves.add(j);
            trim(ops);
        }
        run.put("gpu", curves);
        out.put("melcnn", run);
        return out;
    }

    private static String curve(float[] v, String format) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : ", ").append(String.format(format, v[i]));
        return b.append(']').toString();
    }

    /** Wall time of one Mel CNN training step (Adam) on CudaOps, each batch size and precision. */
    private Object trainBench() {
        int warmup = Integer.parseInt(opts.getOrDefault("train-warmup", emulated ? "0" : "3"));
        int repeats = Integer.parseInt(opts.getOrDefault("train-repeats", emulated ? "1" : "10"));
        List<Object> out = new ArrayList<>();
        // batch sizes outside, precisions inside: should the largest batch be slow, the smaller ones are in for all
        for (String b : opts.getOrDefault("train-batches", emulated ? "2" : "32,128").split(",")) {
            int batch = Integer.parseInt(b.trim());
            for (Cublas.Precision p : precisions()) {
                CudaOps ops = open(emulated, p);
                double[] ms = MelCnnTraining.stepMillis(ops, MelCnnTraining.Optimiser.ADAM, batch, warmup, repeats);
                double median = MelCnnTraining.median(ms), min = Arrays.stream(ms).min().orElse(Double.NaN);
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("precision", p.name().toLowerCase());
                j.put("batch", batch);
                j.put("optimizer", "adam");
                j.put("median_ms", median);
                j.put("min_ms", min);
                j.put("runs_ms", ms);
                j.put("examples_per_s", batch / (median / 1000));
                say(String.format("     Mel CNN step (Adam) %-5s batch %4d: median %9.2f ms (min %9.2f, %d runs after %d warm-up), %9.1f examples/s",
                        p.name().toLowerCase(), batch, median, min, repeats, warmup, batch / (median / 1000)));
                out.add(j);
                trim(ops);
            }
        }
        return out;
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    /** A pass's stages (features, projection, positional conv, states) through {@code Hubert.run(clips, true)}, package-private. */
    record Stages(Tensor features, Tensor projected, Tensor positional, HubertOutput output) {}

    static Stages stages(Hubert h, List<float[]> clips) throws ReflectiveOperationException {
        Method run = Hubert.class.getDeclaredMethod("run", List.class, boolean.class);
        run.setAccessible(true);
        Object s = run.invoke(h, clips, true);
        Tensor[] t = new Tensor[3];
        String[] names = {"features", "projected", "positional"};
        for (int i = 0; i < 3; i++) {
            Method m = s.getClass().getDeclaredMethod(names[i]);
            m.setAccessible(true);
            t[i] = (Tensor) m.invoke(s);
        }
        Method o = s.getClass().getDeclaredMethod("output");
        o.setAccessible(true);
        return new Stages(t[0], t[1], t[2], (HubertOutput) o.invoke(s));
    }

    /** The small oracle models of the engine's tests: CudaOps vs torchaudio (fp32) and vs the CPU engine (each precision). */
    private Object fixtures() throws Exception {
        Path dir = Path.of(opts.getOrDefault("fixtures", "engine/src/test/resources/fixtures/hubert"));
        List<Object> out = new ArrayList<>();
        for (String model : List.of("small-base", "small-large")) {
            Path hf = dir.resolve(model).resolve("hf");
            HubertConverter.Converted converted = HubertConverter.read(hf, null);
            WeightSource weights = WeightSource.of(converted.tensors(), hf.toString());
            Hubert cpu = new Hubert(converted.config(), weights);
            try (Parallel one = new Parallel(1)) {
                Map<Cublas.Precision, Hubert> gpus = new LinkedHashMap<>();
                for (Cublas.Precision p : precisions()) gpus.put(p, new Hubert(converted.config(), weights, open(emulated, p), one));
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
                        Stages st = stages(e.getValue(), clips);
                        out.add(record(StateComparison.of(what + " GPU " + p + " vs CPU engine", cpuOut, st.output(), tolerance(e.getKey()))));
                        if (e.getKey() == Cublas.Precision.FP32) {
                            out.add(record(StateComparison.of(what + " GPU fp32 vs torchaudio", torchaudio, st.output().hiddenStates(), 1e-4)));
                            out.add(record(Check.compare(what + " GPU fp32 features vs torchaudio",
                                    Npy.read(dump.resolve("features.npy")).toArray(), st.features().toArray(), 1e-4)));
                            out.add(record(Check.compare(what + " GPU fp32 projection vs torchaudio",
                                    Npy.read(dump.resolve("projected.npy")).toArray(), st.projected().toArray(), 1e-4)));
                            out.add(record(Check.compare(what + " GPU fp32 positional conv vs torchaudio",
                                    Npy.read(dump.resolve("pos_conv.npy")).toArray(), st.positional().toArray(), 1e-4)));
                        }
                    }
                }
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

    // ---- base -----------------------------------------------------------------------------------------------------

    /** PyTorch's own error per precision on the same clips (bench_hubert_torch.py's "accuracy"), when given. */
    @SuppressWarnings("unchecked")
    private Map<String, Double> torchAccuracy() {
        Map<String, Double> out = new LinkedHashMap<>();
        String f = opts.get("torch-json");
        if (f == null || !Files.exists(Path.of(f))) return out;
        Object acc = ((Map<String, Object>) Json.read(Path.of(f))).get("accuracy");
        if (acc instanceof List<?> l) {
            for (Object o : l) {
                Map<String, Object> a = (Map<String, Object>) o;
                out.put((String) a.get("precision"), ((Number) a.get("worst_relative")).doubleValue());
            }
        }
        return out;
    }

    /** Base-size weights (converted by {@code ser convert}): CudaOps in each precision vs the CPU engine and transformers. */
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
        Map<String, Double> torch = torchAccuracy();
        if (torch.isEmpty()) say("     (no --torch-json: PyTorch's own error per precision is not shown)");
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
            if (torch.containsKey(pn)) {
                say(String.format("     PyTorch %s on the GPU (bf16: autocast) vs transformers on the CPU in fp32, same clips: worst state rel %.3e",
                        pn, torch.get(pn)));
            }
            {
                Hubert gpu = model(weights, p);
                for (var e : inputs.entrySet()) {
                    HubertOutput g = gpu.forward(e.getValue());
                    Map<String, Object> j = record(StateComparison.of("base " + e.getKey() + " speech: GPU " + pn + " vs CPU engine",
                            cpuOut.get(e.getKey()), g, tolerance(p)));
                    j.put("precision", pn);
                    if (torch.containsKey(pn)) j.put("torch_worst_relative", torch.get(pn));
                    out.add(j);
                    if (transformers != null && e.getKey().equals(refInput)) {
                        Map<String, Object> t = record(StateComparison.of("base " + refInput + " speech: GPU " + pn
                                + " vs transformers fp32", transformers, g.hiddenStates(), tolerance(p)));
                        t.put("precision", pn);
                        if (torch.containsKey(pn)) t.put("torch_worst_relative", torch.get(pn));
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    // ---- bench ----------------------------------------------------------------------------------------------------

    private Object bench() {
        Path weights = Path.of(opts.get("weights"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "2")), repeats = Integer.parseInt(opts.getOrDefault("repeats", "5"));
        int samples = Integer.parseInt(opts.getOrDefault("samples", "48000"));
        List<Object> out = new ArrayList<>();
        // Batch sizes outside, precisions inside: should the largest batch be slow, the smaller ones are in for all.
        for (String b : opts.getOrDefault("batches", "1,8,64").split(",")) {
            int batch = Integer.parseInt(b.trim());
            List<float[]> clips = GpuBench.clips(batch, samples, 42);
            for (Cublas.Precision p : precisions()) {
                Hubert gpu = model(weights, p);
                int last = gpu.config().layers();
                for (boolean all : new boolean[] {true, false}) {
                    double[] ms = new double[repeats];
                    for (int i = 0; i < warmup; i++) forward(gpu, clips, all, last);
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        forward(gpu, clips, all, last);  // ends with the download of the states: the GPU is done
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                    }
                    Map<String, Object> j = timing(p.name().toLowerCase(), batch, samples, all ? "all" : "last", ms);
                    say(String.format("     %-5s batch %3d, %-15s: median %9.2f ms (min %9.2f, %d runs), %8.1fx real time",
                            j.get("precision"), batch, all ? "all states" : "last state only", (double) j.get("median_ms"),
                            (double) j.get("min_ms"), repeats, (double) j.get("x_real_time")));
                    out.add(j);
                }
                trim(backends.get(p));  // this batch's activations back to the driver; the weights stay
            }
        }
        for (Cublas.Precision p : precisions()) {
            models.remove(p);
            trim(backends.remove(p));
        }
        return out;
    }

    /** HuBERT base on CudaOps in precision {@code p}, loaded once (its weights uploaded once) for base and bench. */
    private Hubert model(Path weights, Cublas.Precision p) {
        return models.computeIfAbsent(p, k -> {
            CudaOps ops = open(emulated, k);
            backends.put(k, ops);
            return Hubert.load(weights, ops, one);
        });
    }

    /** A backend's cached device blocks back to the driver (a model's weights stay): batch 64's activations are gigabytes. */
    static void trim(CudaOps ops) {
        if (ops != null) ops.releaseCached();
    }

    private static void forward(Hubert h, List<float[]> clips, boolean all, int last) {
        if (all) h.forward(clips); else h.forward(clips, new int[] {last});
    }

    static Map<String, Object> timing(String precision, int batch, int samples, String states, double[] ms) {
        double[] s = ms.clone();
        Arrays.sort(s);
        double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", precision);
        m.put("batch", batch);
        m.put("samples_per_clip", samples);
        m.put("states", states);
        m.put("median_ms", median);
        m.put("min_ms", s[0]);
        m.put("runs_ms", ms);
        m.put("x_real_time", batch * (samples / 16_000.0) / (median / 1000));
        return m;
    }
}
