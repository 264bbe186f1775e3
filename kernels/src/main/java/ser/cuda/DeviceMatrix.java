package ser.cuda;

/**
 * A weight matrix on the device, row-major [rows, cols] (the engine's [in, out]): fp32 always, and a bf16 copy
 * when the model runs its GEMMs in bf16 (0 otherwise).
 */
public record DeviceMatrix(long f32, long bf16, int rows, int cols) {

    /** The copy that a GEMM in {@code precision} reads. */
    public long data(Cublas.Precision precision) {
        if (precision != Cublas.Precision.BF16) return f32;
        if (bf16 == 0) throw new IllegalStateException("no bf16 copy of this matrix");
        return bf16;
    }
}
