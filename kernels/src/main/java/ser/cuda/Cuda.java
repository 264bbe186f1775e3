package ser.cuda;

import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Entry point of the CUDA backend: finds the driver and cuBLAS, initialises device 0 once, and says clearly
 * why the backend is unavailable when it is (no driver, no GPU, no cuBLAS, no fatbin in this build).
 */
public final class Cuda {

    /** Whether the backend can run here, and if not, why (one line, for {@code --device auto}'s notice). */
    public record Availability(boolean available, String reason) {}

    /** One initialised device: the driver, its primary context, a stream, cuBLAS on that stream, our kernels. */
    public record Device(Driver driver, int ordinal, String name, long memoryBytes, int computeCapability,
                         MemorySegment context, MemorySegment stream, Cublas cublas, CudaKernels kernels) {}

    static final String[] DRIVER_NAMES = {"libcuda.so.1", "libcuda.so"};
    static final String[] CUBLAS_NAMES = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};

    private static volatile Object state;  // a Device or an Availability explaining the failure

    private Cuda() {}

    public static Availability availability() {
        Object s = initialise();
        return s instanceof Device d
                ? new Availability(true, d.name() + ", sm_" + d.computeCapability())
                : (Availability) s;
    }

    /** The initialised device, or a CudaException carrying the reason the backend is unavailable. */
    public static Device device() {
        Object s = initialise();
        if (s instanceof Device d) return d;
        throw new CudaException("CUDA backend unavailable: " + ((Availability) s).reason());
    }

    private static Object initialise() {
        Object s = state;
        if (s != null) return s;
        synchronized (Cuda.class) {
            if (state == null) state = tryInitialise();
            return state;
        }
    }

    private static Object tryInitialise() {
        Optional<NativeLibrary> driverLib = NativeLibrary.open(DRIVER_NAMES);
        if (driverLib.isEmpty()) return new Availability(false, "no NVIDIA driver (libcuda.so.1 not found)");
        Optional<byte[]> fatbin = CudaKernels.fatbinResource();
        if (fatbin.isEmpty()) return new Availability(false, "this build has no CUDA kernels (nvcc was absent at build time)");
        try {
            Driver driver = new Driver(driverLib.get());
            driver.init();
            if (driver.deviceCount() == 0) return new Availability(false, "the NVIDIA driver sees no GPU");
            Optional<NativeLibrary> cublasLib = NativeLibrary.open(CUBLAS_NAMES);
            if (cublasLib.isEmpty()) return new Availability(false, "cuBLAS not found (libcublas.so.13 or .so.12)");
            int dev = driver.device(0);
            MemorySegment ctx = driver.retainPrimaryContext(dev);
            MemorySegment stream = driver.createStream();
            int cc = driver.deviceAttribute(75, dev) * 10 + driver.deviceAttribute(76, dev);
            CudaKernels kernels = new CudaKernels(driver, driver.loadModule(CudaKernels.image(fatbin.get())), stream);
            return new Device(driver, dev, driver.deviceName(dev), driver.deviceMemory(dev), cc, ctx, stream,
                    new Cublas(cublasLib.get(), stream), kernels);
        } catch (CudaException e) {
            return new Availability(false, e.getMessage());
        }
    }
}
