package ser.autograd;

import ser.tensor.Tensor;

/** Widening to and narrowing from the double-precision references, for the ops that compute through them. */
final class Doubles {

    private Doubles() {}

    static double[] of(Tensor t) {
        return t == null ? null : of(Variable.dense(t).heapArray());
    }

    static double[] of(float[] a) {
        if (a == null) return null;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    /**
     * Rounds to float, flushing what would be subnormal to zero: Java cannot set the CPU's flush-to-zero mode,
     * and on x86 every arithmetic operation on a subnormal costs about a hundred normal ones.
     */
    static Tensor tensor(double[] d, int... shape) {
        float[] a = new float[d.length];
        for (int i = 0; i < d.length; i++) a[i] = Math.abs(d[i]) < Float.MIN_NORMAL ? 0f : (float) d[i];
        return Tensor.wrap(a, shape);
    }
}
