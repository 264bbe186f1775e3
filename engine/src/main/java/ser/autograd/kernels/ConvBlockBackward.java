package ser.autograd.kernels;

import ser.autograd.reference.ConvShape;
import ser.tensor.VectorSums;
/**
 * Backward of a whole block, conv → batch norm → 2×2 max pool → ReLU, image by image. Done in two steps — batch
 * norm's input gradient written out whole, then the convolution's gradients read from it — the gradient at the
 * convolution's output makes a round trip through memory: written once (316 MB for the first layer at batch 128)
 * and read back by the weight gradient, the input gradient and the bias gradient. Here each thread makes one
 * image's share of it in a buffer that stays in cache and feeds all three from there.
 *
 * <p>Every value is made as in the two steps, in the same order: the same per-element multiply-adds
 * ({@link BatchNormPoolReluKernel#gradientPlane}), the same per-slice weight sums added in slice order, the bias
 * gradient summed over the images in order. The result is bit-identical to {@link Kernels#convBlockBackward}'s
 * two-step definition, which the tests check.
 */
final class ConvBlockBackward {

    private ConvBlockBackward() {}

    /** The convolutions with image-by-image gradients: the implicit GEMM's (one-channel 3×3 among them). */
    static boolean applies(ConvShape s) {
        return ImplicitConv.applies(s);
    }

    static void run(ConvShape s, float[] x, float[] w, float[] conv, float[] gamma, float eps, float[] mean,
                    float[] var, float[] y, int[] from, float[] dy, float[] dx, float[] dw, float[] db,
                    float[] dgamma, float[] dbeta) {
        int c = s.cout(), h = s.outH(), ow = s.outW(), pixels = h * ow;
        float[] k = BatchNormPoolReluKernel.coefficients(s.n(), c, h, ow, conv, gamma, eps, mean, var, y, from, dy,
                dgamma, dbeta);
        boolean single = SingleChannelConv.applies(s);
        ImplicitConv.InputGradient inputs = dx == null ? null : new ImplicitConv.InputGradient(s, w);
        WeightGradientSums[] slices = new WeightGradientSums[Parallel.chunks(s.n())];
        float[] planeSums = new float[s.n() * c];
        Parallel.forEachChunk(s.n(), (chunk, first, last) -> {
            WeightGradientSums weights = slices[chunk] =
                    single ? new SingleChannelConv.WeightSums(s) : new ImplicitConvWeights.WeightSums(s);
            ImplicitConv.InputGradient.Worker input = inputs == null ? null : inputs.worker();
            float[] gradient = new float[s.outputSize()];
            for (int n = first; n < last; n++) {
                for (int ch = 0; ch < c; ch++) {
                    BatchNormPoolReluKernel.gradientPlane(n, ch, c, h, ow, conv, mean[ch], k, y, from, dy, gradient,
                            n * s.outputSize());
                    planeSums[n * c + ch] = VectorSums.of(gradient, ch * pixels, pixels);
                }
                weights.add(x, n * s.inputSize(), gradient, 0);
                if (input != null) input.image(gradient, 0, dx, n * s.inputSize());
            }
        });
        if (single) SingleChannelConv.WeightSums.total(slices, dw);
        else ImplicitConvWeights.WeightSums.total(slices, dw);
        if (db != null) {
            for (int ch = 0; ch < c; ch++) {
                float sum = 0;
                for (int n = 0; n < s.n(); n++) sum += planeSums[n * c + ch];
                db[ch] = sum;
            }
        }
    }
}
