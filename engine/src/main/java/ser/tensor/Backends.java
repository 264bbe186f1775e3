package ser.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends present in this process, for tests and benchmarks that run every one against the reference:
 * {@link ScalarOps} first (the reference), then {@link SimdOps}, then any backend found through
 * {@link ServiceLoader} as an {@link Ops} provider (a CUDA backend, when its module is on the path and a device
 * is there: a provider whose construction fails is left out).
 */
public final class Backends {

    private Backends() {}

    /** A backend and its name, as a test reports it. */
    public record Backend(String name, Ops ops) {
        @Override public String toString() { return name; }
    }

    /** Every backend present, the reference first; {@code parallel} is the pool that the CPU backends use. */
    public static List<Backend> all(Parallel parallel) {
        List<Backend> all = new ArrayList<>();
        all.add(new Backend("scalar", new ScalarOps()));
        all.add(new Backend("simd", new SimdOps(parallel)));
        for (ServiceLoader.Provider<Ops> p : ServiceLoader.load(Ops.class).stream().toList()) {
            try {
                all.add(new Backend(p.type().getSimpleName(), p.get()));
            } catch (RuntimeException | LinkageError absent) {
                // No device, or no driver: the backend is absent here.
            }
        }
        return all;
    }

    /** Every backend but the reference. */
    public static List<Backend> fast(Parallel parallel) {
        List<Backend> all = all(parallel);
        return all.subList(1, all.size());
    }
}
