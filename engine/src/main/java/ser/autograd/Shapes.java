package ser.autograd;

import ser.tensor.Tensor;

/** Ops that only move elements: reshape, flatten, concatenation. */
public final class Shapes {

    private Shapes() {}

    /** The same elements in row-major order under {@code shape} (one entry may be -1); the gradient reshapes back. */
    public static Variable reshape(Variable x, int... shape) {
        Tensor y = x.data().reshape(shape);
        return Variable.fromOp(y, g -> new Tensor[] {g.reshape(x.shape())}, x);
    }

    /** {@code [n, …] → [n, rest]}, as {@code torch.flatten(x, 1)}. */
    public static Variable flatten(Variable x) {
        return reshape(x, x.dim(0), -1);
    }

    /** Joins {@code parts} along {@code axis}; all other dimensions must agree. */
    public static Variable concat(int axis, Variable... parts) {
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
        int outer = 1, inner = 1;
        for (int a = 0; a < ax; a++) outer *= shape[a];
        for (int a = ax + 1; a < shape.length; a++) inner *= shape[a];
        int[] outShape = shape.clone();
        outShape[ax] = total;
        float[] y = new float[outer * total * inner];
        int[] at = new int[parts.length];
        for (int k = 0, offset = 0; k < parts.length; k++) {
            int len = parts[k].dim(ax) * inner;
            for (int o = 0; o < outer; o++) System.arraycopy(parts[k].array(), o * len, y, o * total * inner + offset, len);
            at[k] = offset;
            offset += len;
        }
        int finalOuter = outer, finalInner = inner, finalTotal = total;
        return Variable.fromOp(Tensor.wrap(y, outShape), g -> {
            Tensor[] grads = new Tensor[parts.length];
            for (int k = 0; k < parts.length; k++) {
                int len = parts[k].dim(ax) * finalInner;
                float[] dx = new float[finalOuter * len];
                for (int o = 0; o < finalOuter; o++) {
                    System.arraycopy(g.heapArray(), o * finalTotal * finalInner + at[k], dx, o * len, len);
                }
                grads[k] = Tensor.wrap(dx, parts[k].shape());
            }
            return grads;
        }, parts);
    }
}
