package ser.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * cuBLAS ({@code libcublas.so.13}, or {@code .so.12}): one handle bound to our stream, and the GEMMs we use.
 *
 * <p>cuBLAS is column-major; our tensors are row-major. A row-major {@code C = op(A)·op(B)} is the column-major
 * {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, so {@link #gemmRowMajor} swaps the operands and the sizes rather than copying.
 */
public final class Cublas implements AutoCloseable {

    /** {@code cudaDataType_t} values. */
    static final int CUDA_R_32F = 0, CUDA_R_16BF = 14;
    /** {@code cublasComputeType_t} values. */
    static final int COMPUTE_32F = 68, COMPUTE_32F_FAST_16BF = 75, COMPUTE_32F_FAST_TF32 = 77;
    static final int GEMM_DEFAULT = -1, OP_N = 0, OP_T = 1;

    /** How a GEMM rounds its inputs; accumulation is fp32 in every mode. */
    public enum Precision {
        /** IEEE fp32 products. */
        FP32,
        /** Inputs rounded to TF32 (10-bit mantissa) on the tensor cores. */
        TF32,
        /** Inputs (weights and activations) stored as bf16; the caller converts them. */
        BF16
    }

    private final MethodHandle create, destroy, setStream, getStatusString, gemmStridedBatchedEx;
    private final MemorySegment handle;
    private final Arena scalars = Arena.ofShared();
    private final MemorySegment one, zero;

    Cublas(NativeLibrary lib, MemorySegment stream) {
        create = lib.function("cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        destroy = lib.function("cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        setStream = lib.function("cublasSetStream_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        getStatusString = lib.function("cublasGetStatusString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        gemmStridedBatchedEx = lib.function("cublasGemmStridedBatchedEx", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG,
                ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG,
                JAVA_INT, JAVA_INT, JAVA_INT));
        one = scalars.allocateFrom(JAVA_FLOAT, 1f);
        zero = scalars.allocateFrom(JAVA_FLOAT, 0f);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment h = arena.allocate(ADDRESS);
            check("cublasCreate", (int) create.invokeExact(h));
            handle = h.get(ADDRESS, 0);
            check("cublasSetStream", (int) setStream.invokeExact(handle, stream));
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    private void check(String call, int status) {
        if (status == 0) return;
        String text;
        try {
            text = ((MemorySegment) getStatusString.invokeExact(status)).reinterpret(256).getString(0);
        } catch (Throwable t) {
            text = "CUBLAS_STATUS_" + status;
        }
        throw new CudaException(call, status, text, null);
    }

    /**
     * Row-major, strided-batched {@code C[b] = op(A[b])·op(B[b])} (β = 0 unless {@code accumulate}), C [m, n].
     * A and B are bf16 device arrays in {@link Precision#BF16} mode, fp32 otherwise; C is always fp32.
     * Strides are in elements; a stride of 0 reuses one matrix for the whole batch (shared weights).
     */
    public void gemmRowMajor(Precision precision, boolean transA, boolean transB, int m, int n, int k,
                             long a, int lda, long strideA, long b, int ldb, long strideB,
                             long c, int ldc, long strideC, int batch, boolean accumulate) {
        gemmRowMajor(precision, transA, transB, m, n, k, 1f, a, lda, strideA, b, ldb, strideB, accumulate ? 1f : 0f,
                c, ldc, strideC, batch);
    }

    /** As the other form, {@code C[b] = alpha · op(A[b])·op(B[b]) + beta · C[b]}. */
    public void gemmRowMajor(Precision precision, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             long a, int lda, long strideA, long b, int ldb, long strideB, float beta,
                             long c, int ldc, long strideC, int batch) {
        int inType = precision == Precision.BF16 ? CUDA_R_16BF : CUDA_R_32F;
        int compute = switch (precision) {
            case FP32 -> COMPUTE_32F;
            case TF32 -> COMPUTE_32F_FAST_TF32;
            case BF16 -> COMPUTE_32F;  // bf16 inputs, fp32 accumulation and output
        };
        // Host scalars (cuBLAS's default pointer mode), read before the call returns.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment alphaAt = alpha == 1f ? one : arena.allocateFrom(JAVA_FLOAT, alpha);
            MemorySegment betaAt = beta == 0f ? zero : beta == 1f ? one : arena.allocateFrom(JAVA_FLOAT, beta);
            check("cublasGemmStridedBatchedEx(" + m + "x" + n + "x" + k + ", batch " + batch + ", " + precision + ")",
                    (int) gemmStridedBatchedEx.invokeExact(handle, transB ? OP_T : OP_N, transA ? OP_T : OP_N,
                            n, m, k, alphaAt,
                            b, inType, ldb, strideB,
                            a, inType, lda, strideA,
                            betaAt, c, CUDA_R_32F, ldc, strideC,
                            batch, compute, GEMM_DEFAULT));
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            check("cublasDestroy", (int) destroy.invokeExact(handle));
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        } finally {
            scalars.close();
        }
    }
}
