package ser.tensor;

/**
 * A forward pass's named activation buffers, kept from one pass to the next so that steady use allocates,
 * zeroes and collects no large arrays (about 100 MB per 3-second clip of HuBERT otherwise: a twentieth of the
 * time on one core). Made by {@link Ops#workspace()}, in the backend's own memory; a model keeps one for its
 * lifetime.
 *
 * <p>Each thread has its own buffers, by name, so that the tasks of a parallel loop (attention heads, conv
 * groups) each take their own; a buffer grows to the largest size asked of it and stays that size while the
 * workspace lives.
 */
public interface Workspace {

    /**
     * A contiguous tensor of {@code shape} over the calling thread's buffer called {@code name}, holding whatever
     * was left there (not zeroed); it stays valid until this thread takes {@code name} again.
     */
    Tensor take(String name, int... shape);
}
