package ser.cuda;

/**
 * cuBLAS in one precision for the HuBERT forward pass. Activations live in fp32; in {@link Cublas.Precision#BF16}
 * mode each GEMM operand is first converted into a bf16 staging buffer ({@link #operand}), and pointer offsets
 * into an operand are then counted in bf16 elements ({@link #at}). Outputs are always fp32.
 */
final class CudaGemm {

    private final Cuda.Device dev;
    private final Cublas.Precision precision;

    CudaGemm(Cuda.Device dev, Cublas.Precision precision) {
        this.dev = dev;
        this.precision = precision;
    }

    Cublas.Precision precision() {
        return precision;
    }

    boolean bf16() {
        return precision == Cublas.Precision.BF16;
    }

    /** {@code elements} past {@code base} in an operand (bf16 or fp32 as the precision has it). */
    long at(long base, long elements) {
        return base + elements * (bf16() ? 2 : 4);
    }

    /** fp32 activations {@code x} as a GEMM operand: x itself, or its bf16 copy written into {@code staging}. */
    long operand(long x, long count, long staging) {
        if (!bf16()) return x;
        dev.kernels().toBf16(x, staging, count);
        return staging;
    }

    /** See {@link Cublas#gemmRowMajor}; a and b are operands (from {@link #operand} or a weight's data). */
    void gemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
              long strideB, long c, int ldc, long strideC, int batch, boolean accumulate) {
        dev.cublas().gemmRowMajor(precision, transA, transB, m, n, k, a, lda, strideA, b, ldb, strideB, c, ldc,
                strideC, batch, accumulate);
    }

    /** {@code y = x·W} (or {@code y += x·W}): x fp32 [rows, W.rows], y fp32 [rows, W.cols]; no bias. */
    void linear(long x, int rows, DeviceMatrix w, long y, boolean accumulate, long staging) {
        long a = operand(x, (long) rows * w.rows(), staging);
        gemm(false, false, rows, w.cols(), w.rows(), a, w.rows(), 0, w.data(precision), w.cols(), 0, y, w.cols(), 0,
                1, accumulate);
    }
}
