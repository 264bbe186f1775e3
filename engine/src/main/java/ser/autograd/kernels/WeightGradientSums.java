package ser.autograd.kernels;

/**
 * One thread's share of a convolution's weight gradient, summed image by image. Each kernel adds its threads'
 * shares in slice order afterwards, so the total does not depend on timing.
 */
interface WeightGradientSums {

    /** Adds the image {@code x[xAt …]} with its output gradient {@code dy[dyAt …]}. */
    void add(float[] x, int xAt, float[] dy, int dyAt);
}
