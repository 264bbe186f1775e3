package ser.autograd.reference;


/** Direct 2-D cross-correlation (PyTorch's conv2d) with zero padding; bias nullable. */
public final class Conv2dReference {

    private Conv2dReference() {}

    public static double[] forward(ConvShape s, double[] x, double[] w, double[] b) {
        int oh = s.outH(), ow = s.outW();
        double[] y = new double[s.n() * s.outputSize()];
        for (int n = 0; n < s.n(); n++) {
            for (int co = 0; co < s.cout(); co++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = b == null ? 0 : b[co];
                        for (int ci = 0; ci < s.cin(); ci++) {
                            for (int i = 0; i < s.kh(); i++) {
                                int iy = oy * s.stride() - s.pad() + i;
                                if (iy < 0 || iy >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int ix = ox * s.stride() - s.pad() + j;
                                    if (ix < 0 || ix >= s.w()) continue;
                                    sum += x[inputIndex(s, n, ci, iy, ix)] * w[weightIndex(s, co, ci, i, j)];
                                }
                            }
                        }
                        y[((n * s.cout() + co) * oh + oy) * ow + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** {@code {dx, dw, db}} for the upstream gradient {@code dy[n, cout, outH, outW]}. */
    public static double[][] backward(ConvShape s, double[] x, double[] w, double[] dy) {
        int oh = s.outH(), ow = s.outW();
        double[] dx = new double[s.n() * s.inputSize()], dw = new double[s.weightSize()], db = new double[s.cout()];
        for (int n = 0; n < s.n(); n++) {
            for (int co = 0; co < s.cout(); co++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double g = dy[((n * s.cout() + co) * oh + oy) * ow + ox];
                        db[co] += g;
                        for (int ci = 0; ci < s.cin(); ci++) {
                            for (int i = 0; i < s.kh(); i++) {
                                int iy = oy * s.stride() - s.pad() + i;
                                if (iy < 0 || iy >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int ix = ox * s.stride() - s.pad() + j;
                                    if (ix < 0 || ix >= s.w()) continue;
                                    int xi = inputIndex(s, n, ci, iy, ix), wi = weightIndex(s, co, ci, i, j);
                                    dx[xi] += g * w[wi];
                                    dw[wi] += g * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, db};
    }

    private static int inputIndex(ConvShape s, int n, int ci, int iy, int ix) {
        return ((n * s.cin() + ci) * s.h() + iy) * s.w() + ix;
    }

    private static int weightIndex(ConvShape s, int co, int ci, int i, int j) {
        return ((co * s.cin() + ci) * s.kh() + i) * s.kw() + j;
    }
}
