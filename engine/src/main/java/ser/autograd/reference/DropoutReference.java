package ser.autograd.reference;

/**
 * Inverted dropout with a fixed mask of scale factors (0 for a dropped element, {@code 1/(1 − p)} for a kept one):
 * {@code y = x·mask}. How the mask is drawn is not the reference's business (see {@code ser.autograd.DropoutOp}).
 */
public final class DropoutReference {

    private DropoutReference() {}

    public static double[] forward(double[] x, double[] mask) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] * mask[i];
        return y;
    }

    public static double[] backward(double[] mask, double[] dy) {
        double[] dx = new double[dy.length];
        for (int i = 0; i < dy.length; i++) dx[i] = dy[i] * mask[i];
        return dx;
    }
}
