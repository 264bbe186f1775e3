package ser.cuda;

import ser.tensor.DeviceProvider;
import ser.tensor.Ops;

import java.util.List;
import java.util.Locale;

/**
 * The CUDA backend as the engine finds it ({@link java.util.ServiceLoader}, named {@code cuda}): one
 * {@link CudaOps} per precision, made on first use and shared, so that every part of a job runs on one pool and
 * one set of uploaded weights.
 */
public final class CudaProvider implements DeviceProvider {

    private static final CudaOps[] OPEN = new CudaOps[Cublas.Precision.values().length];

    @Override public String name() { return "cuda"; }

    @Override public List<String> precisions() { return List.of("fp32", "tf32", "bf16"); }

    @Override
    public Ops open(String precision) {
        Cublas.Precision p = Cublas.Precision.valueOf(precision.toUpperCase(Locale.ROOT));
        synchronized (OPEN) {
            if (OPEN[p.ordinal()] == null) OPEN[p.ordinal()] = new CudaOps(p);
            return OPEN[p.ordinal()];
        }
    }
}
