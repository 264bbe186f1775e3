/**
 * The CUDA backend: our kernels (a fatbin resource), hand-written FFM bindings for the driver API and cuBLAS, and
 * {@code CudaOps}, the engine's {@code Ops} and {@code TrainingOps} on a GPU (the {@code cuda} device provider), on
 * which the engine's own HuBERT runs and its models train. Run with {@code --enable-native-access=ser.kernels} on
 * the module path (or {@code ALL-UNNAMED} on the class path, as {@code ./ser} does).
 */
module ser.kernels {
    requires transitive ser.engine;    // Tensor and HubertConfig appear in ser.cuda's signatures

    exports ser.cuda;

    provides ser.tensor.DeviceProvider with ser.cuda.CudaProvider;   // --device cuda, found by ser.tensor.Devices
}
