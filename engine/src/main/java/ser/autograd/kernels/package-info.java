/**
 * The compute kernels behind the autograd ops: im2col + GEMM convolution, batch norm, 2×2 max pooling, each
 * vectorised with the Vector API beside a scalar reference it is tested against.
 *
 * <p>They share the tensor core's machinery rather than carrying their own: every matrix product goes through the
 * package-private {@code MatMul}, a row-major {@code float[]} façade over {@link ser.tensor.Gemm}, and every fork
 * onto threads through {@link ser.autograd.kernels.Parallel}, fixed slices on {@link ser.tensor.Parallel#shared()}.
 * Slice bounds depend on the thread count only, and {@code Gemm}'s summation order on nothing but the shapes, so
 * training is bit-identical run to run for a given {@code -Dser.threads}.
 */
package ser.autograd.kernels;
