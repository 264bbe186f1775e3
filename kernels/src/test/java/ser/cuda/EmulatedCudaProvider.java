package ser.cuda;

import ser.tensor.DeviceProvider;
import ser.tensor.Ops;

import java.util.List;
import java.util.Locale;

/**
 * {@link CudaOps} on {@link HostGpu}, registered in the test resources as a device provider, so that the engine's
 * parity suites ({@code OpsParityTest}, {@code HubertBackendsTest}, which kernels' surefire runs) hold every line of
 * {@link CudaOps} to the reference without a GPU, and the CLI's tests can run a command on it.
 *
 * <p>It opens only with {@code -Dser.emulatedGpu=true} (kernels' surefire sets it; a CLI test sets it around its
 * command): elsewhere, with kernels' test-jar on a class path, {@code auto} must still mean "a real GPU, else the CPU".
 */
public final class EmulatedCudaProvider implements DeviceProvider {

    @Override public String name() { return "emulated-cuda"; }

    @Override public List<String> precisions() { return List.of("fp32", "tf32", "bf16"); }

    @Override public Ops open(String precision) {
        if (!Boolean.getBoolean("ser.emulatedGpu")) {
            throw new IllegalStateException("the emulated GPU is for tests (-Dser.emulatedGpu=true)");
        }
        return new CudaOps(new HostGpu(), Cublas.Precision.valueOf(precision.toUpperCase(Locale.ROOT)));
    }
}
