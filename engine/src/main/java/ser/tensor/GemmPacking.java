package ser.tensor;

import java.util.Arrays;

/**
 * Copies a block of a GEMM operand into the panel layout that {@link GemmKernel} streams through: the block is cut
 * into panels {@code w} elements wide, and each panel is stored step by step along k, {@code w} values per step.
 * For A the panels run across rows ({@code w = MR}), for B across columns ({@code w = NR}); both are the same
 * copy with the roles of the two axes swapped. A last, narrower panel is padded with zeros so that the kernel
 * always computes full tiles.
 *
 * <p>Packing is also where layouts stop mattering: a row-major, a transposed ({@code w.transpose(0, 1)}) or a
 * column-sliced operand is read in place, along whichever axis is contiguous, and the kernel never sees strides.
 */
final class GemmPacking {

    private GemmPacking() {}

    /** {@code a[i0 .. i0+mc, p0 .. p0+kc]} into MR-row panels: {@code dst[q·MR·kc + k·MR + r] = a[i0 + q·MR + r, p0 + k]}. */
    static void packA(Tensor a, int i0, int mc, int p0, int kc, float[] dst, ArrayWindow window) {
        pack(a, a.stride(1), a.stride(0), p0, kc, i0, mc, GemmKernel.MR, dst, 0, window);
    }

    /**
     * Panels {@code q0 .. q1} of {@code b[p0 .. p0+kc, j0 .. j0+nc]} in NR-column panels:
     * {@code dst[q·NR·kc + k·NR + j] = b[p0 + k, j0 + q·NR + j]}.
     */
    static void packB(Tensor b, int p0, int kc, int j0, int nc, int q0, int q1, float[] dst, ArrayWindow window) {
        int nr = GemmKernel.NR;
        int from = q0 * nr, to = Math.min(nc, q1 * nr);
        pack(b, b.stride(0), b.stride(1), p0, kc, j0 + from, to - from, nr, dst, q0 * nr * kc, window);
    }

    /**
     * The element at step {@code k}, position {@code x} across the panels sits at segment offset
     * {@code t.offset() + k·kStride + x·xStride}. Writes {@code ceil(xn / w)} panels of {@code w × kc} from
     * {@code dst[at]}.
     */
    private static void pack(Tensor t, long kStride, long xStride, int k0, int kc, int x0, int xn, int w,
                             float[] dst, int at, ArrayWindow window) {
        long base = t.offset() + k0 * kStride + x0 * xStride;
        for (int x = 0; x < xn; x += w) {
            int width = Math.min(w, xn - x);
            int panel = at + (x / w) * w * kc;
            long start = base + x * xStride;
            if (xStride == 1) {
                // A panel step is one contiguous run: B row-major, or A seen through a transpose.
                for (int k = 0; k < kc; k++) {
                    window.read(start + k * kStride, width);
                    System.arraycopy(window.array, window.offset, dst, panel + k * w, width);
                }
            } else if (kStride == 1) {
                // Each position across is a contiguous run along k: A row-major, or B = wᵀ for weights [out, in].
                for (int r = 0; r < width; r++) {
                    window.read(start + r * xStride, kc);
                    float[] src = window.array;
                    for (int k = 0, s = window.offset, d = panel + r; k < kc; k++, s++, d += w) dst[d] = src[s];
                }
            } else {
                for (int k = 0; k < kc; k++) {
                    for (int r = 0; r < width; r++) {
                        dst[panel + k * w + r] = t.segment().getAtIndex(Tensor.F32, start + k * kStride + r * xStride);
                    }
                }
            }
            if (width < w) {
                for (int k = 0; k < kc; k++) Arrays.fill(dst, panel + k * w + width, panel + (k + 1) * w, 0f);
            }
        }
    }
}
