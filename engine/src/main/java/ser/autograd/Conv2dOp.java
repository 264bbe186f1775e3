package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.autograd.reference.ConvShape;
import ser.tensor.Tensor;

/** 2-D convolution (PyTorch's cross-correlation) of {@code x[n, cin, h, w]} with {@code w[cout, cin, kh, kw]}. */
public final class Conv2dOp {

    private Conv2dOp() {}

    /** Bias {@code b[cout]} may be null; the same stride and zero padding on both axes. */
    public static Variable apply(TrainingOps ops, Variable x, Variable w, Variable b, int stride, int pad) {
        if (x.shape().length != 4 || w.shape().length != 4 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("conv2d: input " + x + " does not match weight " + w);
        }
        ConvShape s = new ConvShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), stride, pad);
        Tensor y = ops.zeros(s.n(), s.cout(), s.outH(), s.outW());
        ops.conv2dForward(s, x.data(), w.data(), b == null ? null : b.data(), y);
        return Variable.fromOp(ops, y, g -> {
            Tensor dx = x.requiresGrad() ? ops.zeros(x.shape()) : null;
            Tensor dw = ops.zeros(w.shape());
            Tensor db = b == null ? null : ops.zeros(s.cout());
            ops.conv2dBackward(s, x.data(), w.data(), g, dx, dw, db);
            return new Tensor[] {dx, dw, db};
        }, x, w, b);
    }
}
