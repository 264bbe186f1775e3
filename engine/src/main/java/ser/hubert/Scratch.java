package ser.hubert;

import ser.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * A model's activation buffers, kept from one forward pass to the next so that steady use allocates, zeroes and
 * collects no large arrays (about 100 MB per 3-second clip otherwise: a twentieth of the time on one core, and
 * more on two, where the collector competes for them). Each thread has its own buffers, by name; a buffer grows
 * to the largest size asked of it and stays that size while the model lives.
 */
final class Scratch {

    private final ThreadLocal<Map<String, float[]>> buffers = ThreadLocal.withInitial(HashMap::new);

    /**
     * A tensor of {@code shape} over this thread's buffer called {@code name}, holding whatever was left there; it
     * stays valid until this thread takes {@code name} again.
     */
    Tensor take(String name, int... shape) {
        int n = Math.toIntExact(Tensor.count(shape));
        Map<String, float[]> mine = buffers.get();
        float[] b = mine.get(name);
        if (b == null || b.length < n) mine.put(name, b = new float[n]);
        return Tensor.wrap(MemorySegment.ofArray(b), 0, shape);
    }
}
