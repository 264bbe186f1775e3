package ser.cuda;

import org.junit.jupiter.api.Test;

import ser.tensor.Devices;
import ser.tensor.Ops;
import ser.tensor.PackedMatrix;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.Storage;
import ser.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link CudaOps} does beyond the parity suite's calls, on the emulated GPU: the GEMM's view handling (which
 * operands go to cuBLAS as they are, which are gathered, outputs that are not row-major), row kernels writing into
 * strided outputs, mapped weights uploaded once, the reduced precisions' rounding, and the device selection.
 */
class CudaOpsEmulatedTest {

    private static final ScalarOps REF = new ScalarOps();

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static void close(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol * (1 + Math.abs(expected[i])),
                    what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void asOperandTakesRowMajorAndTransposedViewsAsTheyAre() {
        assertEquals(new CudaOpsOperand(100, 8, false), CudaOpsOperand.of(CudaOps.asOperand(100, 4, 6, 8, 1)));
        assertEquals(new CudaOpsOperand(100, 5, true), CudaOpsOperand.of(CudaOps.asOperand(100, 4, 6, 1, 5)));
        assertEquals(new CudaOpsOperand(100, 6, false), CudaOpsOperand.of(CudaOps.asOperand(100, 1, 6, 999, 1)),
                "one row: its stride does not matter");
        assertEquals(null, CudaOps.asOperand(100, 4, 6, 12, 2), "every other column: gathered first");
    }

    /** The record's fields, for assertEquals without exposing CudaOps's private record. */
    private record CudaOpsOperand(long pointer, int ld, boolean transposed) {
        static CudaOpsOperand of(Object o) {
            if (o == null) return null;
            String s = o.toString();  // Operand[pointer=100, ld=8, transposed=false]
            String[] f = s.substring(s.indexOf('[') + 1, s.length() - 1).split(", ");
            return new CudaOpsOperand(Long.parseLong(f[0].split("=")[1]), Integer.parseInt(f[1].split("=")[1]),
                    Boolean.parseBoolean(f[2].split("=")[1]));
        }
    }

    @Test
    void gemmOverEveryKindOfViewMatchesTheReference() {
        Ops gpu = new CudaOps(new HostGpu(), Cublas.Precision.FP32);
        int m = 5, k = 7, n = 3;
        float[] a = random(m * k, 1), b = random(k * n, 2), c0 = random(m * n, 3);
        Tensor ha = Tensor.wrap(a, m, k), hb = Tensor.wrap(b, k, n);
        Tensor haT = Tensor.wrap(ha.transpose(0, 1).contiguous().toArray(), k, m).transpose(0, 1);   // [m,k] as a transpose
        Tensor hbGappy = Tensor.wrap(random(k * 2 * n, 4), k, 2 * n);
        Tensor hbEvery2 = hbGappy.strided(hbGappy.offset() + 1, new int[] {k, n}, new long[] {2L * n, 2});
        for (Tensor left : new Tensor[] {ha, haT}) {
            for (Tensor right : new Tensor[] {hb, hbEvery2, hb.transpose(0, 1).contiguous().transpose(0, 1)}) {
                Tensor expected = Tensor.wrap(c0.clone(), m, n);
                REF.gemm(0.5f, left, right, 2f, expected);
                // c row-major, and c the transpose of a row-major buffer (not cuBLAS's layout: written back)
                Tensor c = gpu.upload(Tensor.wrap(c0.clone(), m, n));
                gpu.gemm(0.5f, gpu.upload(left), right, 2f, c);
                close(expected.toArray(), gpu.download(c).toArray(), 1e-5f, "row-major c");
                Tensor cT = gpu.upload(Tensor.wrap(c0.clone(), m, n).transpose(0, 1).contiguous()).transpose(0, 1);
                gpu.gemm(0.5f, left, gpu.upload(right), 2f, cT);
                close(expected.toArray(), gpu.download(cT).contiguous().toArray(), 1e-5f, "transposed c");
            }
        }
    }

    @Test
    void rowKernelsWriteIntoStridedOutputs() {
        Ops gpu = new CudaOps(new HostGpu(), Cublas.Precision.FP32);
        float[] x = random(6 * 9, 5);
        Tensor hx = Tensor.wrap(x, 6, 9);
        Tensor expected = Tensor.zeros(9, 6).transpose(0, 1);
        REF.softmax(hx, expected);
        Tensor out = gpu.zeros(9, 6).transpose(0, 1);
        gpu.softmax(gpu.upload(hx).transpose(0, 1).transpose(0, 1), out);
        close(expected.contiguous().toArray(), gpu.download(out).contiguous().toArray(), 1e-6f, "softmax into a transposed view");
        Tensor sums = gpu.zeros(6, 2).slice(1, 1, 2);
        gpu.sum(gpu.upload(hx), sums);
        Tensor ref = Tensor.zeros(6, 1);
        REF.sum(hx, ref);
        close(ref.toArray(), gpu.download(sums).contiguous().toArray(), 1e-5f, "sums into a column of a wider buffer");
    }

    @Test
    void aMappedWeightIsUploadedOnceAndAHeapOneEachTime(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        AtomicInteger uploads = new AtomicInteger();
        HostGpu counting = new HostGpu() {
            @Override public void upload(long dst, MemorySegment src, long bytes) {
                uploads.incrementAndGet();
                super.upload(dst, src, bytes);
            }
        };
        Ops gpu = new CudaOps(counting, Cublas.Precision.FP32);
        Path file = dir.resolve("bias.f32");
        float[] bias = random(8, 6);
        try (Arena a = Arena.ofConfined()) {
            Files.write(file, a.allocateFrom(JAVA_FLOAT, bias).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
            Tensor mapped = Tensor.wrap(ch.map(FileChannel.MapMode.READ_ONLY, 0, 32, arena), 0, 8);
            assertEquals(Storage.MAPPED, mapped.storage());
            Tensor x = gpu.upload(Tensor.wrap(random(24, 7), 3, 8));
            Tensor out = gpu.zeros(3, 8);
            int before = uploads.get();
            for (int i = 0; i < 3; i++) gpu.add(x, mapped, out);
            assertEquals(before + 1, uploads.get(), "the mapped bias is uploaded once");
            Tensor heapBias = Tensor.wrap(bias.clone(), 8);
            for (int i = 0; i < 3; i++) gpu.add(x, heapBias, out);
            assertEquals(before + 4, uploads.get(), "a heap operand may change between calls: uploaded each time");
            Tensor expected = Tensor.zeros(3, 8);
            REF.add(gpu.download(x), heapBias, expected);
            assertArrayEquals(expected.toArray(), gpu.download(out).toArray());
        }
    }

    @Test
    void reducedPrecisionsRoundTheGemmInputsOnly() {
        int m = 16, k = 64, n = 16;
        Tensor a = Tensor.wrap(random(m * k, 8), m, k), b = Tensor.wrap(random(k * n, 9), k, n);
        Tensor exact = Tensor.zeros(m, n);
        REF.gemm(1f, a, b, 0f, exact);
        float scale = 0;
        for (float v : exact.toArray()) scale = Math.max(scale, Math.abs(v));
        for (Cublas.Precision p : Cublas.Precision.values()) {
            Ops gpu = new CudaOps(new HostGpu(), p);
            Tensor c = gpu.zeros(m, n);
            gpu.gemm(1f, a, gpu.prepack(b), 0f, c);
            float[] got = gpu.download(c).toArray();
            float worst = 0;
            for (int i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - exact.toArray()[i]));
            float bound = switch (p) { case FP32 -> 1e-5f; case TF32 -> 5e-3f; case BF16 -> 3e-2f; };
            assertTrue(worst <= bound * scale, p + ": worst error " + worst + " of max " + scale);
            if (p != Cublas.Precision.FP32) assertTrue(worst > 1e-6f * scale, p + " rounds its inputs: " + worst);
            PackedMatrix packed = gpu.prepack(b);
            assertTrue(packed.isCopy(), "the device holds its own copy of a prepacked weight");
        }
    }

    @Test
    void batchedAttentionInEveryPrecisionAgreesWithTheReference() {
        int batch = 2, steps = 9, heads = 3, dim = 12, headDim = dim / heads;
        int[] keys = {9, 4};
        float scale = 1 / (float) Math.sqrt(headDim);
        // qkv in the first 3·D columns of a wider buffer: the batched path reads it with ld = 40
        Tensor wide = Tensor.wrap(random(batch * steps * 40, 11), batch * steps, 40);
        Tensor qkv = wide.slice(1, 0, 3 * dim);
        Tensor expected = Tensor.zeros(batch * steps, dim);
        try (Parallel one = new Parallel(1)) {
            REF.multiHeadAttention(qkv, keys, heads, scale, one, expected);
            for (Cublas.Precision p : Cublas.Precision.values()) {
                Ops gpu = new CudaOps(new HostGpu(), p);
                Tensor out = gpu.zeros(batch * steps, dim);
                gpu.multiHeadAttention(gpu.upload(wide).slice(1, 0, 3 * dim), keys, heads, scale, one, out);
                float bound = switch (p) { case FP32 -> 1e-5f; case TF32 -> 5e-3f; case BF16 -> 2e-2f; };
                close(expected.toArray(), gpu.download(out).toArray(), bound, "attention in " + p);
            }
        }
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertEquals((short) 0x3f80, HostGpu.bf16(1f));
        assertEquals((short) 0x3f80, HostGpu.bf16(Float.intBitsToFloat(0x3f808000)), "a tie goes to the even mantissa");
        assertEquals((short) 0x3f82, HostGpu.bf16(Float.intBitsToFloat(0x3f818000)), "a tie goes to the even mantissa");
        assertEquals((short) 0x3f81, HostGpu.bf16(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(HostGpu.bf16(Float.NaN) << 16)));
    }

    @Test
    void devicesOpensTheEmulatedGpuByNameAndRefusesAPrecisionItLacks() {
        try (Parallel one = new Parallel(1)) {
            var b = Devices.open("emulated-cuda:bf16", one, s -> { });
            assertEquals("emulated-cuda:bf16", b.name());
            assertEquals(Cublas.Precision.BF16, ((CudaOps) b.ops()).precision());
            assertThrows(ser.SerException.class, () -> Devices.open("emulated-cuda:fp16", one, s -> { }));
            // The real GPU is absent here; auto takes the first provider that opens, and the emulated one does.
            assertTrue(Devices.open("auto", one, s -> { }).name().endsWith(":fp32"));
        }
    }

    @Test
    void operandsOfAnotherBackendAreRefused() {
        Ops one = new CudaOps(new HostGpu(), Cublas.Precision.FP32), other = new CudaOps(new HostGpu(), Cublas.Precision.FP32);
        Tensor x = one.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> other.relu(x, other.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> one.relu(x, Tensor.zeros(2, 3)), "a host output");
    }
}
