package ser.autograd.reference;

/**
 * Max pooling of {@code x[n, c, h, w]} with a square window, no padding and floor rounding (PyTorch's default).
 * Ties go to the first maximum in row-major window order, as in PyTorch's CPU kernel.
 */
public final class MaxPoolReference {

    private MaxPoolReference() {}

    public static int outSize(int in, int kernel, int stride) {
        return (in - kernel) / stride + 1;
    }

    public static double[] forward(int n, int c, int h, int w, int kernel, int stride, double[] x) {
        int oh = outSize(h, kernel, stride), ow = outSize(w, kernel, stride);
        double[] y = new double[n * c * oh * ow];
        int[] arg = argmax(n, c, h, w, kernel, stride, x);
        for (int i = 0; i < y.length; i++) y[i] = x[arg[i]];
        return y;
    }

    public static double[] backward(int n, int c, int h, int w, int kernel, int stride, double[] x, double[] dy) {
        double[] dx = new double[x.length];
        int[] arg = argmax(n, c, h, w, kernel, stride, x);
        for (int i = 0; i < dy.length; i++) dx[arg[i]] += dy[i];
        return dx;
    }

    /** For each output, the index in {@code x} of its window's maximum. */
    public static int[] argmax(int n, int c, int h, int w, int kernel, int stride, double[] x) {
        int oh = outSize(h, kernel, stride), ow = outSize(w, kernel, stride);
        int[] arg = new int[n * c * oh * ow];
        for (int plane = 0, o = 0; plane < n * c; plane++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++, o++) {
                    int best = -1;
                    for (int i = 0; i < kernel; i++) {
                        for (int j = 0; j < kernel; j++) {
                            int at = (plane * h + oy * stride + i) * w + ox * stride + j;
                            if (best < 0 || x[at] > x[best] || Double.isNaN(x[at])) best = at;
                        }
                    }
                    arg[o] = best;
                }
            }
        }
        return arg;
    }
}
