package ser.autograd.kernels;

import ser.autograd.reference.BatchNormReference;
import ser.autograd.reference.Conv2dReference;
import ser.autograd.reference.LinearReference;

/**
 * The slow path: the double-precision scalar references of {@code ser.autograd.reference}, with the float
 * arguments widened on the way in and the results rounded on the way out. Single-threaded.
 */
public final class ReferenceKernels implements Kernels {

    ReferenceKernels() {}

    @Override
    public void linearForward(int n, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        narrow(LinearReference.forward(n, in, out, wide(x), wide(w), wide(b)), y);
    }

    @Override
    public void linearBackward(int n, int in, int out, float[] x, float[] w, float[] dy, float[] dx, float[] dw,
                               float[] db) {
        double[][] g = LinearReference.backward(n, in, out, wide(x), wide(w), wide(dy));
        narrow(g[0], dx);
        narrow(g[1], dw);
        narrow(g[2], db);
    }

    @Override
    public void conv2dForward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        narrow(Conv2dReference.forward(s, wide(x), wide(w), wide(b)), y);
    }

    @Override
    public void conv2dBackward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db) {
        double[][] g = Conv2dReference.backward(s, wide(x), wide(w), wide(dy));
        narrow(g[0], dx);
        narrow(g[1], dw);
        narrow(g[2], db);
    }

    @Override
    public void batchNormTrain(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                               float[] y, float[] mean, float[] var) {
        double[][] r = BatchNormReference.train(n, c, spatial, wide(x), wide(gamma), wide(beta), eps);
        narrow(r[0], y);
        narrow(r[1], mean);
        narrow(r[2], var);
    }

    @Override
    public void batchNormEval(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                              float[] mean, float[] var, float[] y) {
        narrow(BatchNormReference.eval(n, c, spatial, wide(x), wide(gamma), wide(beta), eps, wide(mean), wide(var)), y);
    }

    @Override
    public void batchNormBackward(int n, int c, int spatial, float[] x, float[] gamma, float eps, float[] mean,
                                  float[] var, float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
        double[][] g = BatchNormReference.backward(n, c, spatial, wide(x), wide(gamma), eps, wide(mean), wide(var), wide(dy));
        narrow(g[0], dx);
        narrow(g[1], dgamma);
        narrow(g[2], dbeta);
    }

    static double[] wide(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /** Rounds {@code from} into {@code to}; a null {@code to} means the caller did not want this result. */
    static void narrow(double[] from, float[] to) {
        if (to == null) return;
        for (int i = 0; i < to.length; i++) to[i] = (float) from[i];
    }
}
