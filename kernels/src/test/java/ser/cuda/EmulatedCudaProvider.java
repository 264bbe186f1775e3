package ser.cuda;

import ser.tensor.DeviceProvider;
import ser.tensor.Ops;

import java.util.List;
import java.util.Locale;

/**
 * {@link CudaOps} on {@link HostGpu}, registered in the test resources as a device provider, so that the engine's
 * parity suites ({@code OpsParityTest}, {@code HubertBackendsTest}, run here through subclasses) hold every line
 * of {@link CudaOps} to the reference without a GPU.
 */
public final class EmulatedCudaProvider implements DeviceProvider {

    @Override public String name() { return "emulated-cuda"; }

    @Override public List<String> precisions() { return List.of("fp32", "tf32", "bf16"); }

    @Override public Ops open(String precision) {
        return new CudaOps(new HostGpu(), Cublas.Precision.valueOf(precision.toUpperCase(Locale.ROOT)));
    }
}
