package ser.cuda;

import ser.tensor.DeviceBuffer;
import ser.tensor.Ops;

/** A block of GPU memory from a {@link DevicePool}: the storage of {@link CudaOps}'s tensors. */
final class CudaBuffer implements DeviceBuffer {

    private final CudaOps backend;
    private final long pointer;
    private final long bytes;
    private final String device;

    CudaBuffer(CudaOps backend, long pointer, long bytes, String device) {
        this.backend = backend;
        this.pointer = pointer;
        this.bytes = bytes;
        this.device = device;
    }

    /** The device address of byte 0. */
    long pointer() { return pointer; }

    @Override public Ops backend() { return backend; }

    @Override public long byteSize() { return bytes; }

    @Override public String device() { return device; }

    @Override public String toString() { return "CudaBuffer[" + bytes + " bytes on " + device + "]"; }
}
