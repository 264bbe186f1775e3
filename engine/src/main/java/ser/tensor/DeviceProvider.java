package ser.tensor;

import java.util.List;

/**
 * A device backend that another module provides through {@link java.util.ServiceLoader} (the CUDA backend of
 * {@code ser.kernels}), so that the engine names no device at compile time. {@link Devices} opens one when a user
 * picks it; {@link Backends} lists every one that opens here, for the parity tests.
 */
public interface DeviceProvider {

    /** The name a user picks the device by ({@code "cuda"}). */
    String name();

    /** The GEMM precisions the device offers, its default first ({@code "fp32"}, {@code "tf32"}, {@code "bf16"}). */
    List<String> precisions();

    /**
     * The device's backend in {@code precision} (one of {@link #precisions()}). Throws an unchecked exception
     * whose message says in one line why the device cannot run here (no driver, no GPU, no kernels in this build).
     */
    Ops open(String precision);
}
