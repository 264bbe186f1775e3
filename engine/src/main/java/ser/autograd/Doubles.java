package ser.autograd;

import ser.tensor.Tensor;

/** Widening to and narrowing from the double-precision references, for the ops that compute through them. */
final class Doubles {

    private Doubles() {}

    static double[] of(Variable v) {
        return v == null ? null : of(v.array());
    }

    static double[] of(Tensor t) {
        return t == null ? null : of(Variable.dense(t).heapArray());
    }

    static double[] of(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static Tensor tensor(double[] d, int... shape) {
        float[] a = new float[d.length];
        for (int i = 0; i < d.length; i++) a[i] = (float) d[i];
        return Tensor.wrap(a, shape);
    }
}
