package ser.cuda;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A caching allocator: a block whose owner the garbage collector has found unreachable goes back to a free list
 * of its size class instead of to the driver, and the next request of that class takes it. Allocating and freeing
 * through the driver each time would cost a synchronisation per activation; reuse is safe because all work runs in
 * order on one stream, so a block's next user runs after its last. Size classes round a request up by at most an
 * eighth (and to 512 bytes), as PyTorch's caching allocator does.
 */
final class DevicePool {

    private static final Cleaner CLEANER = Cleaner.create();

    private final Gpu gpu;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long held, cached;

    DevicePool(Gpu gpu) {
        this.gpu = gpu;
    }

    /** The size class of a request of {@code bytes}. */
    static long sizeClass(long bytes) {
        long b = Math.max(bytes, 1);
        long step = Math.max(512, Long.highestOneBit(b) / 8);
        return (b + step - 1) / step * step;
    }

    /**
     * A block of at least {@code bytes}, wrapped by {@code owner} (given the block's address and size), returned
     * to this pool when the owner becomes unreachable.
     */
    <T> T allocate(long bytes, LongFunction<T> owner) {
        long size = sizeClass(bytes);
        long pointer;
        synchronized (this) {
            ArrayDeque<Long> list = free.get(size);
            Long reused = list == null ? null : list.poll();
            if (reused != null) cached -= size;
            pointer = reused != null ? reused : -1;
        }
        if (pointer == -1) {
            try {
                pointer = gpu.malloc(size);
            } catch (CudaException outOfMemory) {
                trim();  // blocks of tensors collected by now back to the driver, then once more
                pointer = gpu.malloc(size);
            }
        }
        synchronized (this) {
            held += size;
        }
        T t = owner.apply(pointer);
        long p = pointer;
        CLEANER.register(t, () -> giveBack(p, size));
        return t;
    }

    private synchronized void giveBack(long pointer, long size) {
        held -= size;
        cached += size;
        free.computeIfAbsent(size, s -> new ArrayDeque<>()).push(pointer);
    }

    /**
     * Gives the driver back every block whose owner is unreachable: a collection, a moment for the cleaner to return
     * the blocks to their lists, then {@link #release}. Blocks of reachable tensors (a model's weights) stay.
     */
    void trim() {
        System.gc();
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
    }

    /** Frees every cached block through the driver. */
    synchronized void release() {
        for (ArrayDeque<Long> list : free.values()) {
            for (Long p : list) gpu.free(p);
        }
        free.clear();
        cached = 0;
    }

    /** Bytes in blocks whose owners are reachable, and bytes cached for reuse. */
    synchronized long[] bytes() {
        return new long[] {held, cached};
    }
}
