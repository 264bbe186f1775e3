package ser.autograd.reference;

/**
 * The geometry of a 2-D convolution over a batch: input {@code [n, cin, h, w]}, weight {@code [cout, cin, kh, kw]},
 * output {@code [n, cout, outH, outW]}, the same stride and zero padding on both axes.
 *
 * <p>It lives here, at the bottom, because the reference convolution needs it: the kernels and the ops above them
 * use it too, and depend on this package, never the other way round.
 */
public record ConvShape(int n, int cin, int h, int w, int cout, int kh, int kw, int stride, int pad) {

    public ConvShape {
        if (stride < 1 || pad < 0 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("convolution needs stride >= 1, pad >= 0 and a kernel of at least 1x1");
        }
        if (h + 2 * pad < kh || w + 2 * pad < kw) {
            throw new IllegalArgumentException("kernel " + kh + "x" + kw + " larger than padded input "
                    + (h + 2 * pad) + "x" + (w + 2 * pad));
        }
    }

    public int outH() { return (h + 2 * pad - kh) / stride + 1; }

    public int outW() { return (w + 2 * pad - kw) / stride + 1; }

    /** Rows of the unfolded input: one per (input channel, kernel row, kernel column). */
    public int patch() { return cin * kh * kw; }

    public int inputSize() { return cin * h * w; }

    public int outputSize() { return cout * outH() * outW(); }

    public int weightSize() { return cout * patch(); }
}
