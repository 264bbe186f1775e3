package ser.autograd.kernels;

import ser.autograd.reference.ConvShape;

/**
 * The fast path: Vector API kernels, multi-threaded through {@link Parallel}. GELU, mean pooling over time and
 * cross-entropy compute in double, as their references do ({@link DoubleKernels}), so that training's results are
 * those it has always had.
 */
public final class SimdKernels implements Kernels {

    SimdKernels() {}

    @Override
    public String name() { return "simd"; }

    @Override
    public void linearForward(int n, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        MatMul.gemmParallel(false, true, n, out, in, x, 0, in, w, 0, in, y, 0, out, false);
        if (b == null) return;
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) y[i * out + o] += b[o];
        }
    }

    @Override
    public void linearBackward(int n, int in, int out, float[] x, float[] w, float[] dy, float[] dx, float[] dw,
                               float[] db) {
        if (dx != null) MatMul.gemmParallel(false, false, n, in, out, dy, 0, out, w, 0, in, dx, 0, in, false);
        MatMul.gemmParallel(true, false, out, in, n, dy, 0, out, x, 0, in, dw, 0, in, false);
        if (db == null) return;
        java.util.Arrays.fill(db, 0f);
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) db[o] += dy[i * out + o];
        }
    }

    @Override
    public void conv2dForward(ConvShape s, float[] x, float[] w, float[] b, float[] y) {
        Conv2dKernel.forward(s, x, w, b, y);
    }

    @Override
    public void conv2dBackward(ConvShape s, float[] x, float[] w, float[] dy, float[] dx, float[] dw, float[] db) {
        Conv2dKernel.backward(s, x, w, dy, dx, dw, db);
    }

    @Override
    public void batchNormTrain(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                               float[] y, float[] mean, float[] var) {
        BatchNormKernel.train(n, c, spatial, x, gamma, beta, eps, y, mean, var);
    }

    @Override
    public void batchNormEval(int n, int c, int spatial, float[] x, float[] gamma, float[] beta, float eps,
                              float[] mean, float[] var, float[] y) {
        BatchNormKernel.eval(n, c, spatial, x, gamma, beta, eps, mean, var, y);
    }

    @Override
    public void batchNormBackward(int n, int c, int spatial, float[] x, float[] gamma, float eps, float[] mean,
                                  float[] var, float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
        BatchNormKernel.backward(n, c, spatial, x, gamma, eps, mean, var, dy, dx, dgamma, dbeta);
    }

    @Override
    public void batchNormPoolReluTrain(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                       float[] y, int[] from, float[] mean, float[] var) {
        BatchNormPoolReluKernel.train(n, c, h, w, x, gamma, beta, eps, y, from, mean, var);
    }

    @Override
    public void batchNormPoolReluEval(int n, int c, int h, int w, float[] x, float[] gamma, float[] beta, float eps,
                                      float[] mean, float[] var, float[] y) {
        BatchNormPoolReluKernel.eval(n, c, h, w, x, gamma, beta, eps, mean, var, y);
    }

    @Override
    public void batchNormPoolReluBackward(int n, int c, int h, int w, float[] x, float[] gamma, float eps,
                                          float[] mean, float[] var, float[] y, int[] from, float[] dy, float[] dx,
                                          float[] dgamma, float[] dbeta) {
        BatchNormPoolReluKernel.backward(n, c, h, w, x, gamma, eps, mean, var, y, from, dy, dx, dgamma, dbeta);
    }

    @Override
    public void maxPoolForward(int n, int c, int h, int w, int kernel, int stride, float[] x, float[] y, int[] from) {
        MaxPoolKernel.forward(n, c, h, w, kernel, stride, x, y, from);
    }

    @Override
    public void maxPoolBackward(int n, int c, int h, int w, int kernel, int stride, float[] x, int[] from, float[] dy,
                                float[] dx) {
        MaxPoolKernel.backward(n, c, h, w, kernel, stride, from, dy, dx);
    }

    @Override
    public void reluForward(float[] x, float[] y) {
        ElementWise.relu(x, y);
    }

    @Override
    public void reluBackward(float[] x, float[] dy, float[] dx) {
        ElementWise.reluBackward(x, dy, dx);
    }

    @Override
    public void geluForward(float[] x, float[] y) {
        DoubleKernels.gelu(x, y);
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx) {
        DoubleKernels.geluBackward(x, dy, dx);
    }

    @Override
    public void dropoutForward(float[] x, float[] mask, float[] y) {
        ElementWise.multiply(x, mask, y);
    }

    @Override
    public void dropoutBackward(float[] mask, float[] dy, float[] dx) {
        ElementWise.multiply(dy, mask, dx);
    }

    @Override
    public void timeMeanForward(int n, int t, int d, float[] x, float[] mask, float[] y) {
        DoubleKernels.timeMean(n, t, d, x, mask, y);
    }

    @Override
    public void timeMeanBackward(int n, int t, int d, float[] mask, float[] dy, float[] dx) {
        DoubleKernels.timeMeanBackward(n, t, d, mask, dy, dx);
    }

    @Override
    public float crossEntropyForward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing) {
        return DoubleKernels.crossEntropy(n, c, logits, targets, weights, smoothing);
    }

    @Override
    public void crossEntropyBackward(int n, int c, float[] logits, int[] targets, float[] weights, double smoothing,
                                     float upstream, float[] dlogits) {
        DoubleKernels.crossEntropyBackward(n, c, logits, targets, weights, smoothing, upstream, dlogits);
    }

    @Override
    public void convBlockBackward(ConvShape s, float[] x, float[] w, float[] conv, float[] gamma, float eps,
                                  float[] mean, float[] var, float[] y, int[] from, float[] dy, float[] dx,
                                  float[] dw, float[] db, float[] dgamma, float[] dbeta) {
        if (ConvBlockBackward.applies(s)) {
            ConvBlockBackward.run(s, x, w, conv, gamma, eps, mean, var, y, from, dy, dx, dw, db, dgamma, dbeta);
        } else {
            Kernels.super.convBlockBackward(s, x, w, conv, gamma, eps, mean, var, y, from, dy, dx, dw, db, dgamma, dbeta);
        }
    }
}
