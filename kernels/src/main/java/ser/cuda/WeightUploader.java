package ser.cuda;

import ser.tensor.Tensor;

/** Uploads weights once into an arena that lives as long as the model; matrices get a bf16 copy on request. */
final class WeightUploader {

    private final Cuda.Device dev;
    private final DeviceArena arena;
    private final boolean bf16;

    WeightUploader(Cuda.Device dev, DeviceArena arena, boolean bf16) {
        this.dev = dev;
        this.arena = arena;
        this.bf16 = bf16;
    }

    /** A 2-D weight [in, out]. */
    DeviceMatrix matrix(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("a matrix, not " + java.util.Arrays.toString(t.shape()));
        long f32 = Transfers.upload(dev, arena, t.toArray()), half = 0;
        if (bf16) {
            half = arena.allocate(2 * t.size());
            dev.kernels().toBf16(f32, half, t.size());
        }
        return new DeviceMatrix(f32, half, t.dim(0), t.dim(1));
    }

    /** A vector (bias, norm parameters), or any tensor as its elements in order; 0 for none. */
    long vector(Tensor t) {
        return t == null ? 0 : Transfers.upload(dev, arena, t.toArray());
    }

    long raw(float[] data) {
        return Transfers.upload(dev, arena, data);
    }
}
