package ser.prosody;

/**
 * The complex roots of a real monic polynomial, by the Durand-Kerner (Weierstrass) iteration: every root estimate is
 * moved at once by the polynomial's value over the product of its distances to the other estimates. It converges
 * for the low orders of linear prediction without the bookkeeping of deflation.
 */
final class PolynomialRoots {

    private PolynomialRoots() {}

    /**
     * Roots of z^n + c[0] z^(n-1) + ... + c[n-1], as {@code {re[], im[]}}.
     */
    static double[][] of(double[] c) {
        int n = c.length;
        double[] re = new double[n], im = new double[n];
        // Start on a circle at an angle that matches no symmetry of a real polynomial.
        double radius = 1 + maxAbs(c);
        radius = Math.min(radius, 2);
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n + 0.4;
            re[i] = 0.9 * Math.cos(angle) * radius / 2 + 0.0;
            im[i] = 0.9 * Math.sin(angle) * radius / 2;
        }
        for (int iteration = 0; iteration < 500; iteration++) {
            double change = 0;
            for (int i = 0; i < n; i++) {
                // p(z) by Horner's rule in complex arithmetic.
                double pr = 1, pi = 0;
                for (double coefficient : c) {
                    double r = pr * re[i] - pi * im[i] + coefficient, m = pr * im[i] + pi * re[i];
                    pr = r;
                    pi = m;
                }
                double qr = 1, qi = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) continue;
                    double dr = re[i] - re[j], di = im[i] - im[j];
                    double r = qr * dr - qi * di, m = qr * di + qi * dr;
                    qr = r;
                    qi = m;
                }
                double q2 = qr * qr + qi * qi;
                if (q2 == 0) continue;
                double stepR = (pr * qr + pi * qi) / q2, stepI = (pi * qr - pr * qi) / q2;
                re[i] -= stepR;
                im[i] -= stepI;
                change = Math.max(change, Math.abs(stepR) + Math.abs(stepI));
            }
            if (change < 1e-12) break;
        }
        return new double[][] {re, im};
    }

    private static double maxAbs(double[] c) {
        double m = 0;
        for (double v : c) m = Math.max(m, Math.abs(v));
        return m;
    }
}
