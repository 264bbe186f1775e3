package ser.autograd;

import ser.autograd.kernels.TrainingOps;
import ser.tensor.Tensor;

/** Ops that only move elements: reshape, flatten, concatenation. */
public final class Shapes {

    private Shapes() {}

    /** The same elements in row-major order under {@code shape} (one entry may be -1); the gradient reshapes back. */
    public static Variable reshape(Variable x, int... shape) {
        Tensor y = x.data().reshape(shape);
        return Variable.fromOp(x.ops(), y, g -> new Tensor[] {g.reshape(x.shape())}, x);
    }

    /** {@code [n, …] → [n, rest]}, as {@code torch.flatten(x, 1)}. */
    public static Variable flatten(Variable x) {
        return reshape(x, x.dim(0), -1);
    }

    /** Joins {@code parts} along {@code axis} on {@code ops}; all other dimensions must agree. */
    public static Variable concat(TrainingOps ops, int axis, Variable... parts) {
        int[] shape = parts[0].shape();
        int ax = axis < 0 ? shape.length + axis : axis;
        int total = 0;
        for (Variable p : parts) {
            int[] s = p.shape();
            for (int a = 0; a < shape.length; a++) {
                if (s.length != shape.length || (a != ax && s[a] != shape[a])) {
                    throw new IllegalArgumentException("concat along axis " + axis + " of " + parts[0] + " and " + p);
                }
            }
            total += s[ax];
        }
        int[] outShape = shape.clone();
        outShape[ax] = total;
        Tensor y = ops.zeros(outShape);
        int[] at = new int[parts.length];
        for (int k = 0, offset = 0; k < parts.length; k++) {
            at[k] = offset;
            offset += parts[k].dim(ax);
            ops.copy(parts[k].data(), y.slice(ax, at[k], offset));
        }
        return Variable.fromOp(ops, y, g -> {
            Tensor[] grads = new Tensor[parts.length];
            for (int k = 0; k < parts.length; k++) {
                grads[k] = ops.zeros(parts[k].shape());
                ops.copy(g.slice(ax, at[k], at[k] + parts[k].dim(ax)), grads[k]);
            }
            return grads;
        }, parts);
    }
}
