package ser.dsp;

/**
 * A real-input FFT of size {@code n} (a power of two): its precomputed tables and the plain scalar reference.
 *
 * <p>A real signal of n samples is transformed as a complex signal of m = n/2 points, z[j] = x[2j] + i x[2j+1],
 * followed by the split step that separates the spectra of the even and odd samples and recombines them with the
 * twiddles W_n^k. The result is the one-sided spectrum X[0..m], unscaled, as {@code torch.fft.rfft} returns it.
 *
 * <p>The fast path, {@link BatchFft}, reads the same tables. Twiddles are computed in double and rounded once to
 * float, so each one is the float nearest to the true value.
 */
public final class Fft {

    private final int n;
    private final int m;
    /** W_m^k = exp(-2 pi i k / m) for k in [0, m): the complex transform's twiddles, one table for every stage. */
    final float[] cosM, sinM;
    /** W_n^k for k in [0, m/2]: the split step's twiddles. */
    final float[] cosN, sinN;
    /** Bit reversal of log2(m) bits: where the decimation-in-frequency transform leaves output k. */
    final int[] bitReversed;

    public Fft(int n) {
        if (n < 4 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two >= 4, got " + n);
        this.n = n;
        this.m = n / 2;
        cosM = new float[m];
        sinM = new float[m];
        for (int k = 0; k < m; k++) {
            cosM[k] = (float) Math.cos(2 * Math.PI * k / m);
            sinM[k] = (float) -Math.sin(2 * Math.PI * k / m);
        }
        cosN = new float[m / 2 + 1];
        sinN = new float[m / 2 + 1];
        for (int k = 0; k <= m / 2; k++) {
            cosN[k] = (float) Math.cos(2 * Math.PI * k / n);
            sinN[k] = (float) -Math.sin(2 * Math.PI * k / n);
        }
        bitReversed = new int[m];
        int bits = Integer.numberOfTrailingZeros(m);
        for (int k = 0; k < m; k++) bitReversed[k] = bits == 0 ? 0 : Integer.reverse(k) >>> (32 - bits);
    }

    public int size() {
        return n;
    }

    /** Bins of the one-sided spectrum: n/2 + 1. */
    public int bins() {
        return m + 1;
    }

    /**
     * Scalar reference: the one-sided spectrum of {@code x} (length n) into {@code re} and {@code im} (length n/2+1).
     * Radix-2 decimation in time over the packed complex signal, then the split step.
     */
    public void realForward(float[] x, float[] re, float[] im) {
        float[] zr = new float[m], zi = new float[m];
        for (int j = 0; j < m; j++) {
            zr[bitReversed[j]] = x[2 * j];
            zi[bitReversed[j]] = x[2 * j + 1];
        }
        for (int half = 1; half < m; half *= 2) {
            int stride = m / (2 * half);
            for (int block = 0; block < m; block += 2 * half) {
                for (int j = 0; j < half; j++) {
                    int a = block + j, b = a + half;
                    float wr = cosM[j * stride], wi = sinM[j * stride];
                    float br = zr[b] * wr - zi[b] * wi;
                    float bi = zr[b] * wi + zi[b] * wr;
                    zr[b] = zr[a] - br;
                    zi[b] = zi[a] - bi;
                    zr[a] += br;
                    zi[a] += bi;
                }
            }
        }
        split(zr, zi, re, im);
    }

    /**
     * From Z = FFT_m(x[2j] + i x[2j+1]) to X = FFT_n(x), k in [0, m]: with A = Z[k] and B = conj(Z[m-k]),
     * E = (A + B)/2 is the even samples' spectrum, O = (A - B)/(2i) the odd samples', and X[k] = E + W_n^k O,
     * X[m-k] = conj(E - W_n^k O).
     */
    private void split(float[] zr, float[] zi, float[] re, float[] im) {
        re[0] = zr[0] + zi[0];
        im[0] = 0;
        re[m] = zr[0] - zi[0];
        im[m] = 0;
        for (int k = 1; k <= m / 2; k++) {
            float ar = zr[k], ai = zi[k], br = zr[m - k], bi = -zi[m - k];
            float er = 0.5f * (ar + br), ei = 0.5f * (ai + bi);
            float or = 0.5f * (ai - bi), oi = 0.5f * (br - ar);
            float tr = or * cosN[k] - oi * sinN[k];
            float ti = or * sinN[k] + oi * cosN[k];
            re[k] = er + tr;
            im[k] = ei + ti;
            re[m - k] = er - tr;
            im[m - k] = -(ei - ti);
        }
    }
}
