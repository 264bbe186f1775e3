/**
 * The compute kernels behind the autograd ops: im2col + GEMM convolution, batch norm, 2×2 max pooling, each
 * vectorised with the Vector API beside a scalar reference it is tested against.
 *
 * <p>Two seams are deliberate stand-ins for the tensor core: every matrix product goes through the package-private
 * {@code MatMul.gemm} (to become {@code ser.tensor.Gemm}), and every fork onto threads through
 * {@link ser.autograd.kernels.Parallel} (fixed slices, so results depend on the thread count only, never on timing).
 */
package ser.autograd.kernels;
