package ser.autograd.kernels;

import ser.autograd.reference.ActivationReference;
import ser.autograd.reference.BatchNormReference;
import ser.autograd.reference.Conv2dReference;
import ser.autograd.reference.ConvShape;
import ser.autograd.reference.CrossEntropyReference;
import ser.autograd.reference.DropoutReference;
import ser.autograd.reference.LinearReference;
import ser.autograd.reference.MaxPoolReference;
import ser.autograd.reference.TimePoolingReference;

/**
 * The slow path: the double-precision scalar references of {@code ser.autograd.reference}, with the float
 * arguments widened on the way in and the results rounded on the way out. Single-threaded.
 */
public final class ReferenceKernels implements Kernels {

    ReferenceKernels() {}

    @Override
    public String name() { return "reference"; }

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

    /** Batch norm, then pooling, then ReLU, each by its own reference. */
    @Override
    public void batchNormPoolReluTrain(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                       float[] y, int[] from, float[] mean, float[] var) {
        double[][] r = BatchNormReference.train(n, c, h * w, wide(x), wide(gamma), wide(beta), eps);
        poolRelu(n, c, h, w, r[0], y, from);
        narrow(r[1], mean);
        narrow(r[2], var);
    }

    @Override
    public void batchNormPoolReluEval(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                      float[] mean, float[] var, float[] y) {
        double[] normalised = BatchNormReference.eval(n, c, h * w, wide(x), wide(gamma), wide(beta), eps, wide(mean), wide(var));
        poolRelu(n, c, h, w, normalised, y, new int[y.length]);
    }

    /** Finds the maxima again from {@code x} rather than trusting {@code from}, and goes back through the three ops. */
    @Override
    public void batchNormPoolReluBackward(int n, int c, int h, int w, float[] x, float[] gamma, float eps,
                                          float[] mean, float[] var, float[] y, int[] from, float[] dy, float[] dx,
                                          float[] dgamma, float[] dbeta) {
        double[] wx = wide(x), wgamma = wide(gamma), wmean = wide(mean), wvar = wide(var);
        // β shifts every value of a plane alike, so the maxima are where they are without it.
        double[] normalised = BatchNormReference.eval(n, c, h * w, wx, wgamma, new double[c], eps, wmean, wvar);
        double[] dPooled = new double[y.length];
        for (int o = 0; o < y.length; o++) dPooled[o] = y[o] > 0 ? dy[o] : 0; // ReLU passes where its output is positive
        double[] dNormalised = MaxPoolReference.backward(n, c, h, w, 2, 2, normalised, dPooled);
        double[][] g = BatchNormReference.backward(n, c, h * w, wx, wgamma, eps, wmean, wvar, dNormalised);
        narrow(g[0], dx);
        narrow(g[1], dgamma);
        narrow(g[2], dbeta);
    }

    @Override
    public void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, float[] x, float[] y, int[] from) {
        int[] argmax = MaxPoolReference.argmax(n, c, h, w, kernel, stride, wide(x));
        for (int o = 0; o < y.length; o++) {
            y[o] = x[argmax[o]];
            from[o] = argmax[o];
        }
    }

    /** Finds the maxima again from {@code x} rather than trusting {@code from}. */
    @Override
    public void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, float[] x, int[] from, float[] dy,
                                float[] dx) {
        narrow(MaxPoolReference.backward(n, c, h, w, kernel, stride, wide(x), wide(dy)), dx);
    }

    @Override
    public void reluForward(float[] x, float[] y) {
        narrow(ActivationReference.relu(wide(x)), y);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx) {
        narrow(ActivationReference.reluBackward(wide(x), wide(dy)), dx);
    }

    @Override
    public void geluForward(float[] x, float[] y) {
        narrow(ActivationReference.gelu(wide(x)), y);
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx) {
        narrow(ActivationReference.geluBackward(wide(x), wide(dy)), dx);
    }

    @Override
    public void dropoutForward(float[] x, float[] mask, float[] y) {
        narrow(DropoutReference.forward(wide(x), wide(mask)), y);
    }

    @Override
    public void dropoutBackward(float[] mask, float[] dy, float[] dx) {
        narrow(DropoutReference.backward(wide(mask), wide(dy)), dx);
    }

    @Override
    public void timeMeanForward(int n, int t, int d, float[] x, float[] mask, float[] y) {
        narrow(TimePoolingReference.mean(n, t, d, wide(x), wide(mask)), y);
    }

    @Override
    public void timeMeanBackward(int n, int t, int d, float[] mask, float[] dy, float[] dx) {
        narrow(TimePoolingReference.meanBackward(n, t, d, wide(mask), wide(dy)), dx);
    }

    @Override
    public float crossEntropyForward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing) {
        return (float) CrossEntropyReference.loss(n, c, wide(logits), targets, wide(weights), smoothing);
    }

    @Override
    public void crossEntropyBackward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing,
                                     float upstream, float[] dlogits) {
        double[] grad = CrossEntropyReference.backward(n, c, wide(logits), targets, wide(weights), smoothing);
        for (int i = 0; i < grad.length; i++) dlogits[i] = (float) (upstream * grad[i]);
    }

    private static void poolRelu(int n, int c, int h, int w, double[] normalised, float[] y, int[] from) {
        int[] argmax = MaxPoolReference.argmax(n, c, h, w, 2, 2, normalised);
        for (int o = 0; o < y.length; o++) {
            y[o] = (float) Math.max(normalised[argmax[o]], 0);
            from[o] = argmax[o];
        }
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
