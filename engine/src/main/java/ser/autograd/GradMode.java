package ser.autograd;

/**
 * Whether ops record the graph, per thread. Inference wraps its forward pass in {@link #noGrad()} so that no
 * backward closures (and the activations they would keep alive) are made:
 *
 * <pre>{@code
 * try (var off = GradMode.noGrad()) {
 *     logits = model.forward(batch);
 * }
 * }</pre>
 */
public final class GradMode {

    /** Restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> true);

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get();
    }

    public static Scope noGrad() {
        boolean previous = ENABLED.get();
        ENABLED.set(false);
        return () -> ENABLED.set(previous);
    }
}
