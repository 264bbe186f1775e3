package ser.tensor;

/**
 * Memory that a device backend owns (a CUDA allocation, say): the storage of a {@link Storage#DEVICE} tensor.
 * It has no host address; a tensor over it carries only its geometry, and only {@code backend()} reads it.
 */
public interface DeviceBuffer {

    /** The backend that allocated this buffer and alone reads and writes it. */
    Ops backend();

    /** The buffer's size in bytes. */
    long byteSize();

    /** A short description for messages ("cuda:0", say). */
    String device();
}
