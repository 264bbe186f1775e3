package ser.autograd;

import ser.autograd.reference.ConvShape;
import ser.autograd.kernels.Kernels;
import ser.tensor.Tensor;

/** 2-D convolution (PyTorch's cross-correlation) of {@code x[n, cin, h, w]} with {@code w[cout, cin, kh, kw]}. */
public final class Conv2dOp {

    private Conv2dOp() {}

    /** Bias {@code b[cout]} may be null; the same stride and zero padding on both axes. */
    public static Variable apply(Kernels kernels, Variable x, Variable w, Variable b, int stride, int pad) {
        if (x.shape().length != 4 || w.shape().length != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x + " does not match weight " + w);
        }
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), stride, pad);
        float[] y = new float[s.n() * s.outputSize()];
        kernels.conv2dForward(s, x.array(), w.array(), b == null ? null : b.array(), y);
        return Variable.fromOp(Tensor.wrap(y, s.n(), s.cout(), s.outH(), s.outW()), g -> {
            float[] dx = x.requiresGrad() ? new float[x.size()] : null;
            float[] dw = new float[w.size()];
            float[] db = b == null ? null : new float[s.cout()];
            kernels.conv2dBackward(s, x.array(), w.array(), g.heapArray(), dx, dw, db);
            return new Tensor[] {
                dx == null ? null : Tensor.wrap(dx, x.shape()),
                Tensor.wrap(dw, w.shape()),
                db == null ? null : Tensor.wrap(db, s.cout())};
        }, x, w, b);
    }
}
