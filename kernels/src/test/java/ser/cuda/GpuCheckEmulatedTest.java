package ser.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ser.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GPU harness's own test, without a GPU: {@link GpuCheck} and {@link GpuBench} run their checks on the emulated
 * GPU ({@code --emulated}: {@link CudaOps} on {@link HostGpu}), so that a harness that would fail on a lent GPU for
 * its own reasons fails here first. Every check passes there: the twins are the kernels' references.
 */
class GpuCheckEmulatedTest {

    static Path fixtures() throws Exception {
        return Path.of(GpuCheckEmulatedTest.class.getResource("/fixtures/hubert").toURI());
    }

    @Test
    @SuppressWarnings("unchecked")
    void opsAndFixturesSectionsPassOnTheEmulatedGpu(@TempDir Path out) throws Exception {
        int status = GpuCheck.run(new String[] {"--emulated", "--sections", "ops,fixtures", "--precisions", "fp32,tf32,bf16",
                "--fixtures", fixtures().toString(), "--out", out.toString(), "--tag", "emulated"});
        Map<String, Object> report = (Map<String, Object>) Json.read(out.resolve("emulated.json"));
        String text = Files.readString(out.resolve("emulated.txt"));
        assertEquals(0, status, text.lines().filter(l -> l.startsWith("FAIL")).toList().toString());
        assertEquals(0, ((Number) report.get("failed")).intValue());
        assertTrue(((Number) report.get("passed")).intValue() > 500, "passed: " + report.get("passed"));
        List<Object> ops = (List<Object>) report.get("ops");
        assertTrue(ops.stream().anyMatch(o -> ((Map<String, Object>) o).get("name").toString().startsWith("attention")));
        assertTrue(text.contains("small-large/synth-batch GPU fp32 vs torchaudio"), text);
        assertTrue(text.contains("small-base/synth-batch GPU bf16 vs CPU engine"), text);
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingAndTrainBenchSectionsPassOnTheEmulatedGpu(@TempDir Path out) throws Exception {
        int status = GpuCheck.run(new String[] {"--emulated", "--sections", "training,train-bench", "--precisions", "fp32,tf32,bf16",
                "--train-steps", "2", "--train-batch", "2", "--train-batches", "2", "--out", out.toString(), "--tag", "train"});
        Map<String, Object> report = (Map<String, Object>) Json.read(out.resolve("train.json"));
        String text = Files.readString(out.resolve("train.txt"));
        assertEquals(0, status, text.lines().filter(l -> l.startsWith("FAIL")).toList().toString());
        Map<String, Object> training = (Map<String, Object>) report.get("training");
        List<String> names = ((List<Object>) training.get("ops")).stream().map(o -> ((Map<String, Object>) o).get("name").toString()).toList();
        // every method of the seam has its checks, in fp32; linear and conv2d also in tf32 and bf16
        for (java.lang.reflect.Method m : ser.autograd.kernels.TrainingOps.class.getDeclaredMethods()) {
            String method = m.getName().equals("indices") ? "indices size" : m.getName();
            assertTrue(names.stream().anyMatch(n -> n.startsWith(method + " ") && n.endsWith("[fp32]")), method + " unchecked");
        }
        for (String p : List.of("tf32", "bf16")) {
            for (String method : List.of("linearForward", "linearBackward", "conv2dForward", "conv2dBackward")) {
                assertTrue(names.stream().anyMatch(n -> n.startsWith(method + " ") && n.endsWith("[" + p + "]")), method + " " + p);
            }
        }
        Map<String, Object> melcnn = (Map<String, Object>) training.get("melcnn");
        assertEquals(2, ((List<Object>) melcnn.get("cpu_losses")).size());
        List<Object> curves = (List<Object>) melcnn.get("gpu");
        assertEquals(3, curves.size());
        for (Object c : curves) {
            Map<String, Object> curve = (Map<String, Object>) c;
            assertEquals(true, curve.get("passed"), curve.toString());
            assertEquals(2, ((List<Object>) curve.get("losses")).size());
        }
        assertTrue(text.contains("GPU fp32 loss curve vs CPU"), text);
        List<Object> bench = (List<Object>) report.get("train-bench");
        assertEquals(3, bench.size(), "precisions x batches");
        for (Object b : bench) assertTrue(((Number) ((Map<String, Object>) b).get("median_ms")).doubleValue() > 0, b.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void baseAndBenchSectionsRunOnTheEmulatedGpu(@TempDir Path out) throws Exception {
        // The small fixture model converted as `ser convert` converts base, and synthetic clips: the sections' code, not base's sizes.
        Path weights = out.resolve("small-base.safetensors");
        ser.hubert.convert.HubertConverter.convert(fixtures().resolve("small-base/hf"), weights, null);
        int status = GpuCheck.run(new String[] {"--emulated", "--sections", "base,bench", "--weights", weights.toString(),
                "--precisions", "fp32,bf16", "--batches", "1,2", "--warmup", "0", "--repeats", "1", "--out", out.toString(),
                "--tag", "base"});
        Map<String, Object> report = (Map<String, Object>) Json.read(out.resolve("base.json"));
        assertEquals(0, status, Files.readString(out.resolve("base.txt")));
        assertEquals(2, ((List<Object>) report.get("base")).size());
        List<Object> bench = (List<Object>) report.get("bench");
        assertEquals(2 * 2 * 2, bench.size(), "precisions x batches x (all states, last state)");
        for (Object b : bench) assertTrue(((Number) ((Map<String, Object>) b).get("x_real_time")).doubleValue() > 0, b.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void benchRunsEveryKernelOnTheEmulatedGpu(@TempDir Path out) throws Exception {
        int status = GpuBench.run(new String[] {"--emulated", "--batch", "1", "--dim", "64", "--ffn", "128", "--heads", "2",
                "--out", out.toString()});
        Map<String, Object> report = (Map<String, Object>) Json.read(out.resolve("gpu-bench.json"));
        assertEquals(0, status, Files.readString(out.resolve("gpu-bench.txt")));
        List<Object> kernels = (List<Object>) report.get("kernels");
        assertEquals(14, kernels.size());
        for (Object k : kernels) assertEquals(true, ((Map<String, Object>) k).get("check_passed"), k.toString());
    }

    @Test
    void withoutAGpuTheHarnessSaysSoAndExitsWithTwo(@TempDir Path out) throws Exception {
        if (Cuda.availability().available()) return;  // on a GPU, the sections run instead (GpuCheck's own use)
        assertEquals(2, GpuCheck.run(new String[] {"--sections", "ops", "--out", out.toString()}));
        assertEquals(2, GpuBench.run(new String[] {"--out", out.toString()}));
        assertFalse(((Map<?, ?>) Json.read(out.resolve("gpu-check.json"))).containsKey("ops"));
    }
}
