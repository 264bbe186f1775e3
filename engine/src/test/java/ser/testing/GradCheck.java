package ser.testing;

import java.util.function.Function;

/**
 * Central finite differences in double precision: for {@code L(inputs) = Σ upstream · f(inputs)}, compares each
 * analytic gradient with {@code (L(x + h) − L(x − h)) / 2h}, {@code h = 1e-6}.
 */
public final class GradCheck {

    private static final double H = 1e-6;

    private GradCheck() {}

    public static void check(String what, Function<double[][], double[]> f, double[][] inputs, double[] upstream,
                             double[][] analytic) {
        for (int k = 0; k < inputs.length; k++) {
            if (analytic[k] == null) continue;
            double[] numeric = new double[inputs[k].length];
            for (int i = 0; i < numeric.length; i++) {
                double saved = inputs[k][i];
                inputs[k][i] = saved + H;
                double plus = dot(upstream, f.apply(inputs));
                inputs[k][i] = saved - H;
                double minus = dot(upstream, f.apply(inputs));
                inputs[k][i] = saved;
                numeric[i] = (plus - minus) / (2 * H);
            }
            Close.assertClose(what + ", input " + k, numeric, analytic[k], 1e-6, 1e-3);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
