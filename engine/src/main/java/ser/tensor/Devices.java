package ser.tensor;

import ser.SerException;

import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Picks the backend that every computation of a job runs on, once, at start-up, from a device spec:
 * {@code cpu} (the SIMD backend), {@code cuda} (a GPU: an error when none can run here), or {@code auto} (a GPU when
 * one can run here, else the CPU with a one-line notice). A GPU spec may name its GEMM precision after a colon:
 * {@code cuda:tf32}, {@code auto:bf16}; the default is the device's first ({@code fp32}).
 */
public final class Devices {

    /** The specs a user may give, for help texts and messages. */
    public static final String SPECS = "cpu, cuda, auto, or cuda:PRECISION / auto:PRECISION (fp32, tf32, bf16)";

    private Devices() {}

    /** A parsed spec: {@code device} is cpu, auto or a provider's name; {@code precision} is null for the default. */
    public record Spec(String device, String precision) {

        public static Spec parse(String text) {
            String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            int colon = s.indexOf(':');
            String device = colon < 0 ? s : s.substring(0, colon);
            String precision = colon < 0 ? null : s.substring(colon + 1);
            if (device.isEmpty() || (precision != null && precision.isEmpty())) {
                throw new SerException("device " + SerException.quote(text) + " is not one of " + SPECS);
            }
            if (device.equals("cpu") && precision != null) {
                throw new SerException("device " + SerException.quote(text) + ": the CPU backend has one precision, fp32");
            }
            return new Spec(device, precision);
        }

        @Override public String toString() { return precision == null ? device : device + ":" + precision; }
    }

    /**
     * The backend for {@code spec} (as {@link Spec#parse} reads it); {@code notice} hears why {@code auto} fell back
     * to the CPU. Throws {@link SerException} with the reason when a named device cannot run here.
     */
    public static Backends.Backend open(String spec, Parallel parallel, Consumer<String> notice) {
        return open(Spec.parse(spec), parallel, notice);
    }

    public static Backends.Backend open(Spec spec, Parallel parallel, Consumer<String> notice) {
        if (spec.device().equals("cpu")) return cpu(parallel);
        boolean auto = spec.device().equals("auto");
        List<DeviceProvider> providers = providers();
        List<DeviceProvider> named = auto ? providers
                : providers.stream().filter(p -> p.name().equals(spec.device())).toList();
        if (named.isEmpty()) {
            String why = auto ? "this build has no GPU backend" : "device " + SerException.quote(spec.device())
                    + " is not in this build (devices: cpu" + providers.stream().map(p -> ", " + p.name()).reduce("", String::concat)
                    + ", auto)";
            if (auto) {
                notice.accept("no GPU: running on the CPU (" + why + ")");
                return cpu(parallel);
            }
            throw new SerException(why);
        }
        StringBuilder reasons = new StringBuilder();
        for (DeviceProvider p : named) {
            String precision = spec.precision() == null ? p.precisions().getFirst() : spec.precision();
            if (!p.precisions().contains(precision)) {
                throw new SerException("device " + p.name() + " has no precision " + SerException.quote(precision)
                        + " (it has " + String.join(", ", p.precisions()) + ")");
            }
            try {
                return new Backends.Backend(p.name() + ":" + precision, p.open(precision));
            } catch (RuntimeException | LinkageError e) {
                reasons.append(reasons.isEmpty() ? "" : "; ").append(p.name()).append(": ").append(reason(e));
            }
        }
        if (!auto) throw new SerException("device " + spec.device() + " cannot run here: " + reasons);
        notice.accept("no GPU: running on the CPU (" + reasons + ")");
        return cpu(parallel);
    }

    /** The first line of a provider's failure (messages are one line by contract; a stray trace must not spill). */
    private static String reason(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) return e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    /** Every device provider on the module or class path, whether or not its device can run here. */
    public static List<DeviceProvider> providers() {
        return ServiceLoader.load(DeviceProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** The CPU backend on the process-wide pool ({@link Parallel#shared}): what a job runs on unless it picks another. */
    public static Backends.Backend cpu() {
        return cpu(Parallel.shared());
    }

    private static Backends.Backend cpu(Parallel parallel) {
        return new Backends.Backend("cpu", new SimdOps(parallel));
    }
}
