package ser.autograd.kernels;

/**
 * Max pooling of {@code x[n, c, h, w]} with a square window, no padding, floor rounding, one slice of planes per
 * thread: 2×2 windows of stride 2 through the vectorised {@link MaxPool2x2}, any other window by a scalar loop with
 * the same rule for ties and NaNs (see there). The forward pass records where each maximum came from, so backward
 * is a scatter.
 */
final class MaxPoolKernel {

    private MaxPoolKernel() {}

    static void forward(int n, int c, int h, int w, int kernel, int stride, float[] x, float[] y, int[] from) {
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        boolean twoByTwo = kernel == 2 && stride == 2;
        Parallel.forEachChunk(n * c, (chunk, first, last) -> {
            for (int plane = first; plane < last; plane++) {
                if (twoByTwo) MaxPool2x2.plane(x, plane, h, w, oh, ow, y, from);
                else plane(x, plane, h, w, kernel, stride, oh, ow, y, from);
            }
        });
    }

    /**
     * {@code dx} is zeroed, then each {@code dy} added at its maximum. Windows stay inside their plane, so planes
     * are written by one slice each, and within a plane the additions run in output order (which matters only
     * where windows overlap, {@code stride < kernel}).
     */
    static void backward(int n, int c, int h, int w, int kernel, int stride, int[] from, float[] dy, float[] dx) {
        int oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1;
        Parallel.forEachChunk(n * c, (chunk, first, last) -> {
            java.util.Arrays.fill(dx, first * h * w, last * h * w, 0f);
            for (int o = first * oh * ow, end = last * oh * ow; o < end; o++) dx[from[o]] += dy[o];
        });
    }

    /** One plane, any window. */
    private static void plane(float[] in, int plane, int h, int w, int kernel, int stride, int oh, int ow,
                              float[] y, int[] from) {
        for (int oy = 0, o = plane * oh * ow; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++, o++) {
                int corner = (plane * h + oy * stride) * w + ox * stride;
                int best = corner;
                for (int i = 0; i < kernel; i++) {
                    for (int j = 0, at = corner + i * w; j < kernel; j++, at++) best = better(in, best, at);
                }
                y[o] = in[best];
                from[o] = best;
            }
        }
    }

    /** {@code candidate} if it beats the maximum at {@code best}, as PyTorch decides (see {@link MaxPool2x2}). */
    private static int better(float[] in, int best, int candidate) {
        float v = in[candidate];
        return v > in[best] || v != v ? candidate : best;
    }
}
