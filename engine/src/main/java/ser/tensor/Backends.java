package ser.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends present in this process, for tests and benchmarks that run every one against the reference:
 * {@link ScalarOps} first (the reference), then {@link SimdOps}, then any backend found through
 * {@link ServiceLoader}: each {@link DeviceProvider} that opens here, in its default precision (the CUDA backend,
 * when its module is on the path and a GPU is there), and any plain {@link Ops} provider (a test backend). One
 * whose opening fails is absent here.
 */
public final class Backends {

    private Backends() {}

    /** A backend and its name, as a test reports it. */
    public record Backend(String name, Ops ops) {
        @Override public String toString() { return name; }

        /**
         * Whether the backend computes on the CPU, in host memory ({@link SimdOps}, {@link ScalarOps}): a model then
         * spreads its own work (attention heads) over a thread pool too; a device backend is driven from one thread.
         */
        public boolean onCpu() {
            return ops instanceof SimdOps || ops instanceof ScalarOps;
        }
    }

    /** Every backend present, the reference first; {@code parallel} is the pool that the CPU backends use. */
    public static List<Backend> all(Parallel parallel) {
        List<Backend> all = new ArrayList<>();
        all.add(new Backend("scalar", new ScalarOps()));
        all.add(new Backend("simd", new SimdOps(parallel)));
        for (DeviceProvider device : Devices.providers()) {
            String precision = device.precisions().getFirst();  // fp32: the others round on purpose (their own tests)
            try {
                all.add(new Backend(device.name() + ":" + precision, device.open(precision)));
            } catch (RuntimeException | LinkageError absent) {
                // No device, or no driver: absent here.
            }
        }
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
