package ser.tensor;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/** The CPU backends' {@link Workspace}: per-thread {@code float[]} buffers by name, on the heap. */
final class HeapWorkspace implements Workspace {

    private final ThreadLocal<Map<String, float[]>> buffers = ThreadLocal.withInitial(HashMap::new);

    @Override
    public Tensor take(String name, int... shape) {
        int n = Math.toIntExact(Tensor.count(shape));
        Map<String, float[]> mine = buffers.get();
        float[] b = mine.get(name);
        if (b == null || b.length < n) mine.put(name, b = new float[n]);
        return Tensor.wrap(MemorySegment.ofArray(b), 0, shape);
    }
}
