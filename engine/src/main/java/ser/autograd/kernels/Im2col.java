package ser.autograd.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import ser.autograd.reference.ConvShape;

/**
 * Unfolds output rows {@code [oy0, oy1)} of one image {@code [cin, h, w]} into the matrix
 * {@code [cin·kh·kw, (oy1 − oy0)·outW]} whose product with the weight matrix {@code [cout, cin·kh·kw]} is that band
 * of the convolution, and folds such a matrix back (summing overlaps) for the input gradient. Stride 1 — every
 * 3×3 layer of the Mel CNN — copies whole row segments; other strides go element by element.
 */
final class Im2col {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Im2col() {}

    static void unfold(ConvShape s, float[] x, int xAt, int oy0, int oy1, float[] col) {
        int ow = s.outW();
        for (int ci = 0, row = 0; ci < s.cin(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int rowAt = row * (oy1 - oy0) * ow;
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * s.stride() - s.pad() + i;
                        int dst = rowAt + (oy - oy0) * ow;
                        if (iy < 0 || iy >= s.h()) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = xAt + (ci * s.h() + iy) * s.w();
                        if (s.stride() == 1) {
                            int from = validFrom(s, j), to = validTo(s, j, ow);
                            java.util.Arrays.fill(col, dst, dst + from, 0f);
                            if (to > from) System.arraycopy(x, src + from - s.pad() + j, col, dst + from, to - from);
                            java.util.Arrays.fill(col, dst + Math.max(from, to), dst + ow, 0f);
                        } else {
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * s.stride() - s.pad() + j;
                                col[dst + ox] = ix < 0 || ix >= s.w() ? 0f : x[src + ix];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dx[xAt…] += fold(col)}. */
    static void foldAdd(ConvShape s, float[] col, int oy0, int oy1, float[] dx, int xAt) {
        int ow = s.outW();
        for (int ci = 0, row = 0; ci < s.cin(); ci++) {
            for (int i = 0; i < s.kh(); i++) {
                for (int j = 0; j < s.kw(); j++, row++) {
                    int rowAt = row * (oy1 - oy0) * ow;
                    for (int oy = oy0; oy < oy1; oy++) {
                        int iy = oy * s.stride() - s.pad() + i;
                        if (iy < 0 || iy >= s.h()) continue;
                        int src = rowAt + (oy - oy0) * ow;
                        int dst = xAt + (ci * s.h() + iy) * s.w();
                        if (s.stride() == 1) {
                            int from = validFrom(s, j), to = validTo(s, j, ow);
                            if (to > from) addInto(col, src + from, dx, dst + from - s.pad() + j, to - from);
                        } else {
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * s.stride() - s.pad() + j;
                                if (ix >= 0 && ix < s.w()) dx[dst + ix] += col[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /** First output column whose input column {@code ox − pad + j} lies inside the image (stride 1). */
    private static int validFrom(ConvShape s, int j) {
        return Math.max(0, s.pad() - j);
    }

    private static int validTo(ConvShape s, int j, int ow) {
        return Math.min(ow, s.w() + s.pad() - j);
    }

    private static void addInto(float[] src, int srcAt, float[] dst, int dstAt, int len) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            FloatVector.fromArray(S, dst, dstAt + k).add(FloatVector.fromArray(S, src, srcAt + k)).intoArray(dst, dstAt + k);
        }
        for (; k < len; k++) dst[dstAt + k] += src[srcAt + k];
    }
}
