package ser.dsp;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FFT of {@link #lanes()} independent real frames at once: one frame per SIMD lane.
 *
 * <p>A log-Mel spectrogram is hundreds of independent frames of the same size, so rather than vectorising inside
 * one transform (which needs shuffles for every stride below the vector width) we lay the frames side by side:
 * element j of frame l sits at {@code [j * lanes + l]}. Every butterfly of the scalar algorithm then becomes the
 * same butterfly on whole vectors, with twiddles broadcast: no shuffles, no gathers, every stage alike.
 *
 * <p>The complex transform of m = n/2 points is radix-2&sup2; decimation in frequency (pairs of radix-2 stages fused
 * into radix-4 butterflies, so the data crosses the cache half as often), leaving its output in bit-reversed
 * order; the split step reads it through {@link Fft#bitReversed} instead of paying for a permutation pass.
 */
public final class BatchFft {

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private final Fft plan;
    private final int m;
    private final int lanes = SPECIES.length();
    /** Rows of re and im that together fill 16 KiB, a third of a typical L1 data cache. */
    private final int cacheRows = Math.max(4, 16 * 1024 / (2 * Float.BYTES * lanes));

    public BatchFft(Fft plan) {
        this.plan = plan;
        this.m = plan.size() / 2;
    }

    /** Frames transformed at once: the SIMD width in floats. */
    public int lanes() {
        return lanes;
    }

    public Fft plan() {
        return plan;
    }

    /**
     * In place, the m-point complex FFT of each lane of {@code re + i im} (each [m][lanes]); the output is in
     * bit-reversed order: bin k lies in row {@code plan.bitReversed[k]}.
     */
    public void complexForward(float[] re, float[] im) {
        forward(re, im, 0, m);
    }

    /**
     * Decimation in frequency over rows [base, base + size). A block small enough to stay in the L1 cache runs all
     * its stages one after another; a larger one takes one radix-4 stage, which leaves four independent quarters,
     * and recurses into each: after the first pass, the data crosses the cache once, not once per stage. At the
     * seed's size (512 points x 16 lanes, 64 KiB) this halves the transform's time against stage-by-stage passes.
     */
    private void forward(float[] re, float[] im, int base, int size) {
        if (size > cacheRows) {
            radix4Stage(re, im, base, size, size / 2);
            for (int quarter = 0; quarter < 4; quarter++) forward(re, im, base + quarter * size / 4, size / 4);
            return;
        }
        int h = size / 2;
        for (; h >= 2; h /= 4) radix4Stage(re, im, base, size, h);
        if (h == 1) radix2LastStage(re, im, base, size);
    }

    /**
     * The two radix-2 DIF stages of spans h and h/2, fused. With W = W_{2h} and quarter q = h/2, the four points
     * x0..x3 = x[j], x[j+q], x[j+h], x[j+h+q] of each block become
     * y0 = (x0+x2) + (x1+x3), y1 = ((x0+x2) - (x1+x3)) W^2j, y2 = ((x0-x2) - i(x1-x3)) W^j, y3 = ((x0-x2) + i(x1-x3)) W^3j.
     */
    private void radix4Stage(float[] re, float[] im, int base, int size, int h) {
        int q = h / 2, stride = m / (2 * h);
        float[] cos = plan.cosM, sin = plan.sinM;
        for (int j = 0; j < q; j++) {
            var w1r = FloatVector.broadcast(SPECIES, cos[j * stride]);
            var w1i = FloatVector.broadcast(SPECIES, sin[j * stride]);
            var w1iNeg = w1i.neg();
            var w2r = FloatVector.broadcast(SPECIES, cos[2 * j * stride]);
            var w2i = FloatVector.broadcast(SPECIES, sin[2 * j * stride]);
            var w2iNeg = w2i.neg();
            var w3r = FloatVector.broadcast(SPECIES, cos[3 * j * stride]);
            var w3i = FloatVector.broadcast(SPECIES, sin[3 * j * stride]);
            var w3iNeg = w3i.neg();
            for (int block = base; block < base + size; block += 2 * h) {
                int i0 = (block + j) * lanes, i1 = i0 + q * lanes, i2 = i0 + h * lanes, i3 = i2 + q * lanes;
                var x0r = FloatVector.fromArray(SPECIES, re, i0);
                var x0i = FloatVector.fromArray(SPECIES, im, i0);
                var x1r = FloatVector.fromArray(SPECIES, re, i1);
                var x1i = FloatVector.fromArray(SPECIES, im, i1);
                var x2r = FloatVector.fromArray(SPECIES, re, i2);
                var x2i = FloatVector.fromArray(SPECIES, im, i2);
                var x3r = FloatVector.fromArray(SPECIES, re, i3);
                var x3i = FloatVector.fromArray(SPECIES, im, i3);
                var s02r = x0r.add(x2r);
                var s02i = x0i.add(x2i);
                var d02r = x0r.sub(x2r);
                var d02i = x0i.sub(x2i);
                var s13r = x1r.add(x3r);
                var s13i = x1i.add(x3i);
                var d13r = x1r.sub(x3r);
                var d13i = x1i.sub(x3i);
                s02r.add(s13r).intoArray(re, i0);
                s02i.add(s13i).intoArray(im, i0);
                multiplyInto(s02r.sub(s13r), s02i.sub(s13i), w2r, w2i, w2iNeg, re, im, i1);
                // -i(a + ib) = b - ia, +i(a + ib) = -b + ia
                multiplyInto(d02r.add(d13i), d02i.sub(d13r), w1r, w1i, w1iNeg, re, im, i2);
                multiplyInto(d02r.sub(d13i), d02i.add(d13r), w3r, w3i, w3iNeg, re, im, i3);
            }
        }
    }

    /** The last radix-2 stage (span 1) when log2(m) is odd: its only twiddle is 1. */
    private void radix2LastStage(float[] re, float[] im, int base, int size) {
        for (int row = base; row < base + size; row += 2) {
            int a = row * lanes, b = a + lanes;
            var ar = FloatVector.fromArray(SPECIES, re, a);
            var ai = FloatVector.fromArray(SPECIES, im, a);
            var br = FloatVector.fromArray(SPECIES, re, b);
            var bi = FloatVector.fromArray(SPECIES, im, b);
            ar.add(br).intoArray(re, a);
            ai.add(bi).intoArray(im, a);
            ar.sub(br).intoArray(re, b);
            ai.sub(bi).intoArray(im, b);
        }
    }

    /** (ar + i ai)(wr + i wi) into re[at], im[at]; -wi comes precomputed so that each half is one mul and one fma. */
    private static void multiplyInto(FloatVector ar, FloatVector ai, FloatVector wr, FloatVector wi, FloatVector wiNeg,
                                     float[] re, float[] im, int at) {
        ar.fma(wr, ai.mul(wiNeg)).intoArray(re, at);
        ar.fma(wi, ai.mul(wr)).intoArray(im, at);
    }

    /**
     * The power spectrum |X[k]|^exponent of every lane, k in [0, m], into {@code out} ([m+1][lanes]), from the
     * bit-reversed output of {@link #complexForward}. The frames must have been packed pre-scaled by 1/2 (see
     * {@link Stft}): that folds the split step's two halvings into the window, for free and exactly.
     */
    public void powerSpectrum(float[] re, float[] im, float[] out, double exponent) {
        int[] rev = plan.bitReversed;
        float[] cos = plan.cosN, sin = plan.sinN;
        // k = 0 and k = m: both real, Re Z[0] +- Im Z[0] (times 2, undoing the 1/2 pre-scaling).
        var z0r = FloatVector.fromArray(SPECIES, re, 0);
        var z0i = FloatVector.fromArray(SPECIES, im, 0);
        store(z0r.add(z0i).mul(2f), FloatVector.zero(SPECIES), exponent, out, 0);
        store(z0r.sub(z0i).mul(2f), FloatVector.zero(SPECIES), exponent, out, m * lanes);
        for (int k = 1; k <= m / 2; k++) {
            int a = rev[k] * lanes, b = rev[m - k] * lanes;
            var ar = FloatVector.fromArray(SPECIES, re, a);
            var ai = FloatVector.fromArray(SPECIES, im, a);
            var br = FloatVector.fromArray(SPECIES, re, b);
            var bi = FloatVector.fromArray(SPECIES, im, b).neg();
            // With the 1/2 pre-scaling, E = A + B and O = (A - B)/i need no halving.
            var er = ar.add(br);
            var ei = ai.add(bi);
            var or = ai.sub(bi);
            var oi = br.sub(ar);
            var wr = FloatVector.broadcast(SPECIES, cos[k]);
            var wi = FloatVector.broadcast(SPECIES, sin[k]);
            var tr = or.mul(wr).sub(oi.mul(wi));
            var ti = or.mul(wi).add(oi.mul(wr));
            store(er.add(tr), ei.add(ti), exponent, out, k * lanes);
            store(er.sub(tr), ei.sub(ti), exponent, out, (m - k) * lanes);
        }
    }

    /**
     * The scalar twin of {@link #complexForward} for one frame ({@code re}, {@code im}: m rows of one lane): the same
     * butterflies with the same operations in the same order, so the same bits as that frame's lane of the vector
     * path (every vector operation here acts lane by lane). Cheaper than the vector path while the Vector API code
     * is still interpreted, i.e. for the first few hundred frames a JVM computes.
     */
    public void complexForwardOne(float[] re, float[] im) {
        forwardOne(re, im, 0, m);
    }

    private void forwardOne(float[] re, float[] im, int base, int size) {
        if (size > cacheRows) {
            radix4StageOne(re, im, base, size, size / 2);
            for (int quarter = 0; quarter < 4; quarter++) forwardOne(re, im, base + quarter * size / 4, size / 4);
            return;
        }
        int h = size / 2;
        for (; h >= 2; h /= 4) radix4StageOne(re, im, base, size, h);
        if (h == 1) {
            for (int row = base; row < base + size; row += 2) {
                float ar = re[row], ai = im[row], br = re[row + 1], bi = im[row + 1];
                re[row] = ar + br;
                im[row] = ai + bi;
                re[row + 1] = ar - br;
                im[row + 1] = ai - bi;
            }
        }
    }

    /** {@link #radix4Stage} on one lane. */
    private void radix4StageOne(float[] re, float[] im, int base, int size, int h) {
        int q = h / 2, stride = m / (2 * h);
        float[] cos = plan.cosM, sin = plan.sinM;
        for (int j = 0; j < q; j++) {
            float w1r = cos[j * stride], w1i = sin[j * stride], w1iNeg = -w1i;
            float w2r = cos[2 * j * stride], w2i = sin[2 * j * stride], w2iNeg = -w2i;
            float w3r = cos[3 * j * stride], w3i = sin[3 * j * stride], w3iNeg = -w3i;
            for (int block = base; block < base + size; block += 2 * h) {
                int i0 = block + j, i1 = i0 + q, i2 = i0 + h, i3 = i2 + q;
                float x0r = re[i0], x0i = im[i0], x1r = re[i1], x1i = im[i1];
                float x2r = re[i2], x2i = im[i2], x3r = re[i3], x3i = im[i3];
                float s02r = x0r + x2r, s02i = x0i + x2i, d02r = x0r - x2r, d02i = x0i - x2i;
                float s13r = x1r + x3r, s13i = x1i + x3i, d13r = x1r - x3r, d13i = x1i - x3i;
                re[i0] = s02r + s13r;
                im[i0] = s02i + s13i;
                multiplyIntoOne(s02r - s13r, s02i - s13i, w2r, w2i, w2iNeg, re, im, i1);
                multiplyIntoOne(d02r + d13i, d02i - d13r, w1r, w1i, w1iNeg, re, im, i2);
                multiplyIntoOne(d02r - d13i, d02i + d13r, w3r, w3i, w3iNeg, re, im, i3);
            }
        }
    }

    private static void multiplyIntoOne(float ar, float ai, float wr, float wi, float wiNeg, float[] re, float[] im, int at) {
        re[at] = Math.fma(ar, wr, ai * wiNeg);
        im[at] = Math.fma(ar, wi, ai * wr);
    }

    /**
     * The scalar twin of {@link #powerSpectrum} for one frame, exponent 1 or 2 only (the vector POW of other exponents
     * has no scalar twin that rounds alike): {@code out} gets m + 1 bins.
     */
    public void powerSpectrumOne(float[] re, float[] im, float[] out, double exponent) {
        if (exponent != 1 && exponent != 2) throw new IllegalArgumentException("power " + exponent + ": only 1 or 2");
        int[] rev = plan.bitReversed;
        float[] cos = plan.cosN, sin = plan.sinN;
        float z0r = re[0], z0i = im[0];
        out[0] = storeOne((z0r + z0i) * 2f, 0f, exponent);
        out[m] = storeOne((z0r - z0i) * 2f, 0f, exponent);
        for (int k = 1; k <= m / 2; k++) {
            int a = rev[k], b = rev[m - k];
            float ar = re[a], ai = im[a], br = re[b], bi = -im[b];
            float er = ar + br, ei = ai + bi, or = ai - bi, oi = br - ar;
            float wr = cos[k], wi = sin[k];
            float tr = or * wr - oi * wi;
            float ti = or * wi + oi * wr;
            out[k] = storeOne(er + tr, ei + ti, exponent);
            out[m - k] = storeOne(er - tr, ei - ti, exponent);
        }
    }

    private static float storeOne(float xr, float xi, double exponent) {
        float squared = xr * xr + xi * xi;
        return exponent == 2 ? squared : (float) Math.sqrt(squared);
    }

    private static void store(FloatVector xr, FloatVector xi, double exponent, float[] out, int at) {
        var squared = xr.mul(xr).add(xi.mul(xi));
        if (exponent == 2) squared.intoArray(out, at);
        else if (exponent == 1) squared.lanewise(VectorOperators.SQRT).intoArray(out, at);
        else squared.lanewise(VectorOperators.POW, (float) (exponent / 2)).intoArray(out, at);
    }
}
