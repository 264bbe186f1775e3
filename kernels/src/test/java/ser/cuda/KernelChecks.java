package ser.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Every kernel of {@code ser_kernels.cu}, and the cuBLAS GEMMs we call, against the CPU references in
 * {@link KernelReference}, on awkward sizes and fresh random inputs. Outputs are poisoned with NaN before each
 * launch, so an element a kernel fails to write fails its check. Shared by {@code KernelParityTest} (which
 * asserts) and {@link GpuCheck} (which prints and records).
 */
public final class KernelChecks {

    /**
     * One comparison: the worst |expected - actual| over all elements, against the largest |expected|; it
     * passes when the first is at most {@code tolerance} times the second (NaN never passes).
     */
    public record Check(String name, double maxAbsError, double referenceMaxAbs, double tolerance, int elements) {

        public double relative() {
            return maxAbsError / Math.max(referenceMaxAbs, 1e-6);
        }

        public boolean passed() {
            return relative() <= tolerance;
        }

        public String line() {
            return String.format("%-4s %-44s max|err| %.3e  max|ref| %.3e  rel %.3e  (tol %.0e, %d values)",
                    passed() ? "ok" : "FAIL", name, maxAbsError, referenceMaxAbs, relative(), tolerance, elements);
        }
    }

    private KernelChecks() {}

    public static Check compare(String name, float[] expected, float[] actual, double tolerance) {
        if (expected.length != actual.length) {
            return new Check(name + " (length " + actual.length + " != " + expected.length + ")", Double.NaN, 0,
                    tolerance, actual.length);
        }
        double max = 0, worst = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) worst = d;  // NaN sticks
        }
        return new Check(name, worst, max, tolerance, expected.length);
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    /** Every check below, in order. */
    public static List<Check> all(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        out.addAll(featureEncoderKernels(dev));
        out.addAll(elementwiseKernels(dev));
        out.addAll(layerNormAndMaskedSoftmax(dev));
        out.addAll(positionalConvolutionAndPooling(dev));
        out.addAll(gemms(dev));
        return out;
    }

    public static List<Check> featureEncoderKernels(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        int batch = 2, samples = 1603, channels = 33, kernel = 10, stride = 5, frames = (samples - kernel) / stride + 1;
        float[] x = random(batch * samples, 1), w = random(channels * kernel, 2);
        float[] g = random(channels, 3), b = random(channels, 4);
        float[] want = new float[batch * channels * frames];
        KernelReference.conv1dFirst(x, w, want, batch, samples, channels, kernel, stride, frames);
        int cin = 7, tin = 41, k2 = 3, s2 = 2, tout = (tin - k2) / s2 + 1;
        float[] cx = random(batch * cin * tin, 14), cols = new float[batch * tout * cin * k2];
        KernelReference.im2col1d(cx, cols, batch, cin, tin, k2, s2, tout);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dw = Transfers.upload(dev, arena, w);
            long dy = Transfers.poisoned(dev, arena, want.length);
            dev.kernels().conv1dFirst(dx, dw, dy, batch, samples, channels, kernel, stride, frames);
            out.add(compare("conv1d_first", want, Transfers.download(dev, dy, want.length), 1e-5));
            KernelReference.groupNormGelu(want, g, b, batch, channels, frames, 1e-5f);
            long dg = Transfers.upload(dev, arena, g), db = Transfers.upload(dev, arena, b);
            dev.kernels().groupNormGelu(dy, dg, db, batch, channels, frames, 1e-5f);
            out.add(compare("group_norm_gelu", want, Transfers.download(dev, dy, want.length), 1e-5));
            // The fused path: the same conv, norm and GELU, time-major.
            float[] timeMajor = new float[want.length];
            KernelReference.transpose(want, timeMajor, batch, channels, frames);
            long stats = Transfers.poisoned(dev, arena, 2L * batch * channels), dt = Transfers.poisoned(dev, arena, want.length);
            long moments = arena.allocate(8L * batch * (1 + kernel + kernel * kernel));
            dev.kernels().conv1dFirstMoments(dx, moments, batch, samples, kernel, stride, frames);
            dev.kernels().conv1dFirstGroupStats(moments, dw, stats, batch, channels, kernel, 1e-5f);
            float[] wTapMajor = new float[w.length];
            for (int c = 0; c < channels; c++) for (int k = 0; k < kernel; k++) wTapMajor[k * channels + c] = w[c * kernel + k];
            dev.kernels().conv1dFirstNormGelu(dx, Transfers.upload(dev, arena, wTapMajor), stats, dg, db, dt, batch, samples,
                    channels, kernel, stride, frames);
            out.add(compare("conv1d_first_moments + _group_stats + _norm_gelu", timeMajor,
                    Transfers.download(dev, dt, want.length), 1e-5));
            long dcx = Transfers.upload(dev, arena, cx), dcols = Transfers.poisoned(dev, arena, cols.length);
            dev.kernels().im2col1d(dcx, dcols, batch, cin, tin, k2, s2, tout);
            out.add(compare("im2col_1d", cols, Transfers.download(dev, dcols, cols.length), 0));
        }
        return out;
    }

    public static List<Check> elementwiseKernels(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        int rows = 19, cols = 771, n = rows * cols;
        float[] x = random(n, 15), bias = random(cols, 16), y = random(n, 17);
        for (int i = 0; i < n; i++) x[i] *= 3;  // reach erf's tails
        float[] gelu = x.clone();
        KernelReference.gelu(gelu);
        float[] biased = x.clone(), biasedGelu = x.clone();
        KernelReference.biasAdd(biased, bias, rows, cols, false);
        KernelReference.biasAdd(biasedGelu, bias, rows, cols, true);
        float[] sum = y.clone();
        KernelReference.residualAdd(sum, x);
        float[] rounded = new float[n];
        for (int i = 0; i < n; i++) rounded[i] = KernelReference.roundToBf16(x[i] * 1.37f);
        float[] scaled = new float[n];
        for (int i = 0; i < n; i++) scaled[i] = x[i] * 1.37f;
        int batch = 3, t = 13, heads = 4, d = 8;
        float[] merged = random(batch * t * heads * d, 18), split = new float[merged.length], back = new float[merged.length];
        KernelReference.permuteHeads(merged, split, batch, t, heads, d, true);
        KernelReference.permuteHeads(split, back, batch, t, heads, d, false);
        int[] lengths = {13, 5, 0};
        int dim = 24;
        float[] frames = random(batch * t * dim, 19), zeroed = frames.clone();
        KernelReference.zeroPaddedFrames(zeroed, lengths, batch, t, dim);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x);
            dev.kernels().gelu(dx, n);
            out.add(compare("gelu", gelu, Transfers.download(dev, dx, n), 1e-5));
            long db = Transfers.upload(dev, arena, bias);
            long d1 = Transfers.upload(dev, arena, x), d2 = Transfers.upload(dev, arena, x);
            dev.kernels().biasAdd(d1, db, rows, cols, false);
            dev.kernels().biasAdd(d2, db, rows, cols, true);
            out.add(compare("bias_add", biased, Transfers.download(dev, d1, n), 1e-6));
            out.add(compare("bias_add + gelu", biasedGelu, Transfers.download(dev, d2, n), 1e-5));
            long dy = Transfers.upload(dev, arena, y);
            dev.kernels().residualAdd(dy, Transfers.upload(dev, arena, x), n);
            out.add(compare("residual_add", sum, Transfers.download(dev, dy, n), 1e-6));
            long ds = Transfers.upload(dev, arena, scaled), dh = arena.allocate(2L * n), dback = Transfers.poisoned(dev, arena, n);
            dev.kernels().toBf16(ds, dh, n);
            out.add(compare("f32_to_bf16 (round to nearest even)", rounded, Transfers.downloadBf16(dev, dh, n), 0));
            dev.kernels().fromBf16(dh, dback, n);
            out.add(compare("bf16_to_f32", rounded, Transfers.download(dev, dback, n), 0));
            int tb = 3, tr = 45, tc = 70;
            float[] tx = random(tb * tr * tc, 23), ty = new float[tx.length];
            KernelReference.transpose(tx, ty, tb, tr, tc);
            long dtx = Transfers.upload(dev, arena, tx), dty = Transfers.poisoned(dev, arena, tx.length);
            dev.kernels().transpose(dtx, dty, tb, tr, tc);
            out.add(compare("transpose_tiles", ty, Transfers.download(dev, dty, tx.length), 0));
            long dm = Transfers.upload(dev, arena, merged), dsplit = Transfers.poisoned(dev, arena, merged.length);
            long dmerged = Transfers.poisoned(dev, arena, merged.length);
            dev.kernels().permuteHeads(dm, dsplit, batch, t, heads, d, true);
            out.add(compare("permute_heads (split)", split, Transfers.download(dev, dsplit, merged.length), 0));
            dev.kernels().permuteHeads(dsplit, dmerged, batch, t, heads, d, false);
            out.add(compare("permute_heads (merge)", back, Transfers.download(dev, dmerged, merged.length), 0));
            long df = Transfers.upload(dev, arena, frames);
            dev.kernels().zeroPaddedFrames(df, Transfers.upload(dev, arena, lengths), batch, t, dim);
            out.add(compare("zero_padded_frames", zeroed, Transfers.download(dev, df, frames.length), 0));
        }
        return out;
    }

    public static List<Check> layerNormAndMaskedSoftmax(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        int rows = 17, cols = 769;
        float[] x = random(rows * cols, 5), g = random(cols, 6), b = random(cols, 7), want = new float[x.length];
        KernelReference.layerNorm(x, want, g, b, rows, cols, 1e-5f);
        int batch = 2, heads = 3, t = 37;
        int[] lengths = {37, 20};
        float[] s = random(batch * heads * t * t, 8), sWant = s.clone(), sAll = s.clone();
        KernelReference.softmaxMasked(sWant, lengths, batch, heads, t, t, 0.125f);
        KernelReference.softmaxMasked(sAll, null, batch, heads, t, t, 0.125f);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dy = Transfers.poisoned(dev, arena, x.length);
            long dg = Transfers.upload(dev, arena, g), dbeta = Transfers.upload(dev, arena, b);
            dev.kernels().layerNorm(dx, dy, dg, dbeta, rows, cols, 1e-5f);
            out.add(compare("layer_norm", want, Transfers.download(dev, dy, x.length), 1e-5));
            dev.kernels().layerNorm(dx, dx, dg, dbeta, rows, cols, 1e-5f);
            out.add(compare("layer_norm (in place)", want, Transfers.download(dev, dx, x.length), 1e-5));
            // Both softmax kernels (block per row, warp per row), with the key lengths and without (0), each on a
            // fresh copy of the scores, since they work in place.
            long dLengths = Transfers.upload(dev, arena, lengths);
            for (boolean warp : new boolean[] {false, true}) {
                for (boolean masked : new boolean[] {true, false}) {
                    long ds = Transfers.upload(dev, arena, s), mask = masked ? dLengths : 0;
                    if (warp) dev.kernels().softmaxMaskedWarp(ds, mask, batch, heads, t, t, 0.125f);
                    else dev.kernels().softmaxMasked(ds, mask, batch, heads, t, t, 0.125f);
                    out.add(compare((warp ? "softmax_masked_warp" : "softmax_masked") + (masked ? "" : " (no mask)"),
                            masked ? sWant : sAll, Transfers.download(dev, ds, s.length), 1e-5));
                }
            }
        }
        return out;
    }

    public static List<Check> positionalConvolutionAndPooling(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        int batch = 2, t = 23, dim = 32, groups = 4, kernel = 8;
        float[] x = random(batch * t * dim, 9), w = random(dim * (dim / groups) * kernel, 10), bias = random(dim, 11);
        float[] want = new float[x.length];
        KernelReference.posConvGelu(x, w, bias, want, batch, t, dim, groups, kernel);
        int[] lengths = {23, 11};
        float[] pooled = new float[batch * dim];
        KernelReference.meanPoolMasked(x, lengths, pooled, batch, t, dim);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            long dx = Transfers.upload(dev, arena, x), dy = Transfers.poisoned(dev, arena, x.length);
            dev.kernels().posConvGelu(dx, Transfers.upload(dev, arena, w), Transfers.upload(dev, arena, bias), dy,
                    batch, t, dim, groups, kernel);
            out.add(compare("pos_conv_gelu", want, Transfers.download(dev, dy, x.length), 1e-5));
            // The same conv as the forward pass runs it: windows, one strided-batched GEMM over groups against the
            // engine's weight layout, then bias and GELU.
            float[] engineW = engineLayout(w, groups, dim / groups, kernel);
            int width = dim / groups, kw = kernel * width, rows = batch * t;
            float[] cols = new float[groups * rows * kw];
            KernelReference.posConvIm2col(x, cols, batch, t, dim, groups, kernel);
            long dcols = Transfers.poisoned(dev, arena, cols.length);
            dev.kernels().posConvIm2col(dx, dcols, batch, t, dim, groups, kernel, false);
            out.add(compare("pos_conv_im2col", cols, Transfers.download(dev, dcols, cols.length), 0));
            long hcols = arena.allocate(2L * cols.length);
            dev.kernels().posConvIm2col(dx, hcols, batch, t, dim, groups, kernel, true);
            float[] colsBf = cols.clone();
            for (int i = 0; i < colsBf.length; i++) colsBf[i] = KernelReference.roundToBf16(colsBf[i]);
            out.add(compare("pos_conv_im2col_bf16", colsBf, Transfers.downloadBf16(dev, hcols, cols.length), 0));
            long dz = Transfers.poisoned(dev, arena, x.length);
            dev.cublas().gemmRowMajor(Cublas.Precision.FP32, false, false, rows, width, kw, dcols, kw, (long) rows * kw,
                    Transfers.upload(dev, arena, engineW), width, (long) kw * width, dz, dim, width, groups, false);
            dev.kernels().biasAdd(dz, Transfers.upload(dev, arena, bias), rows, dim, true);
            out.add(compare("positional conv as im2col + cuBLAS + bias_add/gelu", want, Transfers.download(dev, dz, x.length), 1e-5));
            long dp = Transfers.poisoned(dev, arena, pooled.length);
            dev.kernels().meanPoolMasked(dx, Transfers.upload(dev, arena, lengths), dp, batch, t, dim);
            out.add(compare("mean_pool_masked", pooled, Transfers.download(dev, dp, pooled.length), 1e-5));
        }
        return out;
    }

    /** torch's [dim, width, kernel] positional-conv weight in the engine's [groups, kernel·width, width] layout. */
    static float[] engineLayout(float[] w, int groups, int width, int kernel) {
        float[] out = new float[w.length];
        for (int g = 0; g < groups; g++)
            for (int o = 0; o < width; o++)
                for (int c = 0; c < width; c++)
                    for (int k = 0; k < kernel; k++) {
                        out[(g * kernel * width + k * width + c) * width + o] = w[((g * width + o) * width + c) * kernel + k];
                    }
        return out;
    }

    /**
     * cuBLAS through {@link Cublas#gemmRowMajor}: plain products in each precision, a transposed A, and a strided
     * batch that accumulates into C with row strides wider than the rows (as the attention products use it).
     */
    public static List<Check> gemms(Cuda.Device dev) {
        List<Check> out = new ArrayList<>();
        int m = 37, n = 65, k = 129;
        float[] a = random(m * k, 12), b = random(n * k, 13), want = new float[m * n];
        KernelReference.gemm(false, true, m, n, k, a, 0, k, 0, b, 0, k, 0, want, 0, n, 0, 1, false);
        float[] aBf = a.clone(), bBf = b.clone(), wantBf = new float[m * n];
        for (int i = 0; i < aBf.length; i++) aBf[i] = KernelReference.roundToBf16(aBf[i]);
        for (int i = 0; i < bBf.length; i++) bBf[i] = KernelReference.roundToBf16(bBf[i]);
        KernelReference.gemm(false, true, m, n, k, aBf, 0, k, 0, bBf, 0, k, 0, wantBf, 0, n, 0, 1, false);
        // A stored transposed ([k, m]) and B plain ([k, n]).
        float[] at = new float[k * m], bt = new float[k * n], wantT = new float[m * n];
        for (int i = 0; i < m; i++) for (int p = 0; p < k; p++) at[p * m + i] = a[i * k + p];
        for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bt[p * n + j] = b[j * k + p];
        KernelReference.gemm(true, false, m, n, k, at, 0, m, 0, bt, 0, n, 0, wantT, 0, n, 0, 1, false);
        // Strided batch: 3 matrices of [m, k] at a row stride of lda = k + 11, C rows of ldc = n + 5, accumulating.
        int batch = 3, lda = k + 11, ldc = n + 5;
        long strideA = (long) m * lda, strideC = (long) m * ldc + 7;
        float[] sa = random((int) (batch * strideA), 20), sb = random(batch * k * n, 21);
        float[] sc = random((int) (batch * strideC), 22), sWant = sc.clone();
        KernelReference.gemm(false, false, m, n, k, sa, 0, lda, strideA, sb, 0, n, (long) k * n, sWant, 0, ldc, strideC,
                batch, true);
        try (DeviceArena arena = new DeviceArena(dev.driver())) {
            Cublas blas = dev.cublas();
            long da = Transfers.upload(dev, arena, a), db = Transfers.upload(dev, arena, b);
            long dc = Transfers.poisoned(dev, arena, m * n);
            blas.gemmRowMajor(Cublas.Precision.FP32, false, true, m, n, k, da, k, 0, db, k, 0, dc, n, 0, 1, false);
            out.add(compare("cublas sgemm fp32 (A·Bᵀ)", want, Transfers.download(dev, dc, m * n), 1e-5));
            dev.driver().fill32(dc, 0x7fc00000, m * n, dev.stream());
            blas.gemmRowMajor(Cublas.Precision.TF32, false, true, m, n, k, da, k, 0, db, k, 0, dc, n, 0, 1, false);
            out.add(compare("cublas gemm tf32 (A·Bᵀ)", want, Transfers.download(dev, dc, m * n), 5e-3));
            long ha = arena.allocate(2L * a.length), hb = arena.allocate(2L * b.length);
            dev.kernels().toBf16(da, ha, a.length);
            dev.kernels().toBf16(db, hb, b.length);
            dev.driver().fill32(dc, 0x7fc00000, m * n, dev.stream());
            blas.gemmRowMajor(Cublas.Precision.BF16, false, true, m, n, k, ha, k, 0, hb, k, 0, dc, n, 0, 1, false);
            float[] got = Transfers.download(dev, dc, m * n);
            out.add(compare("cublas gemm bf16 vs bf16-rounded inputs", wantBf, got, 1e-5));
            out.add(compare("cublas gemm bf16 vs fp32 inputs", want, got, 1e-2));
            long dat = Transfers.upload(dev, arena, at), dbt = Transfers.upload(dev, arena, bt);
            dev.driver().fill32(dc, 0x7fc00000, m * n, dev.stream());
            blas.gemmRowMajor(Cublas.Precision.FP32, true, false, m, n, k, dat, m, 0, dbt, n, 0, dc, n, 0, 1, false);
            out.add(compare("cublas sgemm fp32 (Aᵀ·B)", wantT, Transfers.download(dev, dc, m * n), 1e-5));
            long dsa = Transfers.upload(dev, arena, sa), dsb = Transfers.upload(dev, arena, sb);
            long dsc = Transfers.upload(dev, arena, sc);
            blas.gemmRowMajor(Cublas.Precision.FP32, false, false, m, n, k, dsa, lda, strideA, dsb, n, (long) k * n,
                    dsc, ldc, strideC, batch, true);
            out.add(compare("cublasGemmStridedBatchedEx fp32 (batch 3, β=1)", sWant,
                    Transfers.download(dev, dsc, sc.length), 1e-5));
        }
        return out;
    }
}
