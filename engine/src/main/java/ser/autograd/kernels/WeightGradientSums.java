package ser.autograd.kernels;

import java.util.function.Supplier;
import ser.autograd.reference.ConvShape;

/**
 * One thread's share of a convolution's weight gradient, summed image by image. Each kernel adds its threads'
 * shares in slice order afterwards, so the total does not depend on timing.
 */
interface WeightGradientSums {

    /** Adds the image {@code x[xAt …]} with its output gradient {@code dy[dyAt …]}. */
    void add(float[] x, int xAt, float[] dy, int dyAt);

    /** Fresh sums from {@code make}, one per slice of the batch, over all its images; in slice order. */
    static WeightGradientSums[] overBatch(ConvShape s, float[] x, float[] dy, Supplier<WeightGradientSums> make) {
        WeightGradientSums[] slices = new WeightGradientSums[Parallel.chunks(s.n())];
        Parallel.forEachChunk(s.n(), (chunk, from, to) -> {
            WeightGradientSums sums = slices[chunk] = make.get();
            for (int n = from; n < to; n++) sums.add(x, n * s.inputSize(), dy, n * s.outputSize());
        });
        return slices;
    }
}
