package ser.autograd.reference;

/**
 * The mixing step of a gated multimodal unit (Arevalo et al. 2017): {@code y = σ(z)·a + (1 − σ(z))·b}, element by
 * element, where {@code z} are gate logits and {@code a}, {@code b} the two branches' projected vectors.
 */
public final class GatedMixReference {

    private GatedMixReference() {}

    public static double[] forward(double[] z, double[] a, double[] b) {
        double[] y = new double[z.length];
        for (int i = 0; i < y.length; i++) {
            double g = sigmoid(z[i]);
            y[i] = g * a[i] + (1 - g) * b[i];
        }
        return y;
    }

    /** {@code {dz, da, db}} for the upstream gradient {@code dy}. */
    public static double[][] backward(double[] z, double[] a, double[] b, double[] dy) {
        int n = z.length;
        double[] dz = new double[n], da = new double[n], db = new double[n];
        for (int i = 0; i < n; i++) {
            double g = sigmoid(z[i]);
            da[i] = g * dy[i];
            db[i] = (1 - g) * dy[i];
            dz[i] = dy[i] * (a[i] - b[i]) * g * (1 - g);
        }
        return new double[][] {dz, da, db};
    }

    /** {@code 1 / (1 + e^−z)}, written so that neither sign of {@code z} overflows. */
    public static double sigmoid(double z) {
        if (z >= 0) return 1 / (1 + Math.exp(-z));
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
