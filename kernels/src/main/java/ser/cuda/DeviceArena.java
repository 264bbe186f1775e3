package ser.cuda;

import java.util.ArrayList;
import java.util.List;

/**
 * Owns device allocations so that nothing leaks on error paths: every buffer from {@link #allocate} is freed
 * by {@link #close}, in reverse order, even when an exception is on its way out of a try-with-resources.
 */
public final class DeviceArena implements AutoCloseable {

    private final Driver driver;
    private final List<Long> pointers = new ArrayList<>();
    private long bytes;
    private boolean closed;

    public DeviceArena(Driver driver) {
        this.driver = driver;
    }

    /** A device buffer of {@code bytes} (rounded up to 256 for aligned vector loads), owned by this arena. */
    public long allocate(long bytes) {
        if (closed) throw new IllegalStateException("arena closed");
        long rounded = (bytes + 255) & ~255L;
        long ptr = driver.malloc(rounded);
        pointers.add(ptr);
        this.bytes += rounded;
        return ptr;
    }

    public long allocateFloats(long count) {
        return allocate(count * Float.BYTES);
    }

    /** Bytes held now. */
    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        CudaException first = null;
        for (int i = pointers.size() - 1; i >= 0; i--) {
            try {
                driver.free(pointers.get(i));
            } catch (CudaException e) {
                if (first == null) first = e;  // free the rest before reporting
            }
        }
        pointers.clear();
        bytes = 0;
        if (first != null) throw first;
    }
}
