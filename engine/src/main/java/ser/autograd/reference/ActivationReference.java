package ser.autograd.reference;

/** Element-wise activations and their backward passes given the input {@code x} and upstream {@code dy}. */
public final class ActivationReference {

    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    private ActivationReference() {}

    public static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.max(x[i], 0);
        return y;
    }

    /** PyTorch's choice at the kink: the gradient at exactly 0 is 0. */
    public static double[] reluBackward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
        return dx;
    }

    /** The exact GELU, {@code x·Φ(x) = x/2·(1 + erf(x/√2))} (PyTorch's default, not the tanh approximation). */
    public static double[] gelu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = gelu(x[i]);
        return y;
    }

    public static double gelu(double x) {
        return 0.5 * x * (1 + Erf.erf(x * INV_SQRT_2));
    }

    public static double[] geluBackward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = dy[i] * geluDerivative(x[i]);
        return dx;
    }

    /** {@code d/dx x·Φ(x) = Φ(x) + x·φ(x)}. */
    public static double geluDerivative(double x) {
        double cdf = 0.5 * (1 + Erf.erf(x * INV_SQRT_2));
        double pdf = INV_SQRT_2PI * Math.exp(-0.5 * x * x);
        return cdf + x * pdf;
    }

    public static double[] tanh(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
        return y;
    }

    public static double[] tanhBackward(double[] x, double[] dy) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double t = Math.tanh(x[i]);
            dx[i] = dy[i] * (1 - t * t);
        }
        return dx;
    }
}
