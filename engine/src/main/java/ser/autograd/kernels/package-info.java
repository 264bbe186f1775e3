/**
 * The training seam, {@link ser.autograd.kernels.TrainingOps} ({@link ser.tensor.Ops} plus the training kernels), its
 * CPU backends ({@link ser.autograd.kernels.HostTrainingOps}), and the {@code float[]} kernels they run on,
 * {@link ser.autograd.kernels.Kernels}: implicit-GEMM and im2col + GEMM
 * convolution, linear layers, batch norm and the fused conv block, max pooling, ReLU, GELU, dropout's mask, mean
 * pooling over time and cross-entropy. Two backends implement every method: {@link ser.autograd.kernels.SimdKernels}
 * (the Vector API where it pays; GELU, mean pooling and cross-entropy in double, as their references compute them)
 * and {@link ser.autograd.kernels.ReferenceKernels}, the double-precision references of
 * {@code ser.autograd.reference} with the float arguments widened and the results rounded. One is chosen at
 * start-up and passed explicitly, as a {@code HostTrainingOps}; {@code SimdKernelsTest} holds every
 * backend against the references, {@code TrainingKernelsBench} and {@code MelCnnStepBench} time them side by side.
 *
 * <p>They share the tensor core's machinery rather than carrying their own: every matrix product goes through the
 * package-private {@code MatMul}, a row-major {@code float[]} façade over {@link ser.tensor.Gemm}, and every fork
 * onto threads through {@link ser.autograd.kernels.Parallel}, fixed slices on {@link ser.tensor.Parallel#shared()}.
 * Slice bounds depend on the thread count only, and {@code Gemm}'s summation order on nothing but the shapes, so
 * training is bit-identical run to run for a given {@code -Dser.threads}.
 */
package ser.autograd.kernels;
