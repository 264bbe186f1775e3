package ser.tensor;

import java.lang.foreign.MemorySegment;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

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

    /**
     * Rows {@code i0 .. i0+rows} of {@code a}, all of K, into MR-row panels:
     * {@code dst[at + q·MR·K + k·MR + r] = a[i0 + q·MR + r, k]}. The KC-deep slice of a panel that one kernel call
     * reads, from step {@code p0} on, is then contiguous at {@code at + q·MR·K + p0·MR}.
     */
    static void packA(Tensor a, int i0, int rows, float[] dst, int at, ArrayWindow window) {
        pack(a, a.stride(1), a.stride(0), a.dim(1), i0, rows, GemmKernel.MR, NO_DIFFERENCE, dst, at, window);
    }

    /** No subtrahend: {@link #packA(Tensor, long, int, int, float[], int, ArrayWindow)} packs A itself. */
    static final long NO_DIFFERENCE = Long.MIN_VALUE;

    /**
     * As {@link #packA(Tensor, int, int, float[], int, ArrayWindow)}, of the difference {@code a - a'} where
     * {@code a'} is {@code a} moved {@code minus} elements along its segment (unless that is
     * {@link #NO_DIFFERENCE}): each element is {@code a[i, k] - segment[offset(i, k) + minus]}, one rounding.
     * A conv computed in pairs of frames multiplies differences of neighbouring frames ({@code PairedConv}),
     * which are then formed in the copy that packing makes anyway instead of a pass of their own.
     */
    static void packA(Tensor a, long minus, int i0, int rows, float[] dst, int at, ArrayWindow window) {
        pack(a, a.stride(1), a.stride(0), a.dim(1), i0, rows, GemmKernel.MR, minus, dst, at, window);
    }

    /**
     * Columns {@code j0 .. j0+cols} of {@code b}, all of K, into NR-column panels:
     * {@code dst[at + q·NR·K + k·NR + j] = b[k, j0 + q·NR + j]}.
     */
    static void packB(Tensor b, int j0, int cols, float[] dst, int at, ArrayWindow window) {
        pack(b, b.stride(0), b.stride(1), b.dim(0), j0, cols, GemmKernel.NR, NO_DIFFERENCE, dst, at, window);
    }

    /**
     * The element at step {@code k}, position {@code x} across the panels sits at segment offset
     * {@code t.offset() + k·kStride + x·xStride}, its subtrahend (unless {@code minus} is {@link #NO_DIFFERENCE})
     * {@code minus} elements further. Writes {@code ceil(xn / w)} panels of {@code kn × w} from {@code dst[at]}.
     */
    private static void pack(Tensor t, long kStride, long xStride, int kn, int x0, int xn, int w, long minus,
                             float[] dst, int at, ArrayWindow window) {
        if (minus != NO_DIFFERENCE) {
            packDifference(t, kStride, xStride, kn, x0, xn, w, minus, dst, at, window);
            return;
        }
        long base = t.offset() + x0 * xStride;
        for (int x = 0; x < xn; x += w) {
            int width = Math.min(w, xn - x);
            int panel = at + (x / w) * w * kn;
            long start = base + x * xStride;
            if (xStride == 1) {
                // A panel step is one contiguous run: B row-major, or A seen through a transpose.
                for (int k = 0; k < kn; k++) {
                    window.read(start + k * kStride, width);
                    copy(window.array, window.offset, dst, panel + k * w, width);
                }
            } else if (kStride == 1 && w == 8 && width == w && window.isHeap()) {
                // A row-major on the heap, a whole panel of 8 rows (AVX-512's MR): step by step along k, the rows'
                // values in turn, so that the panel is written in one sequential run; row by row, each pass over a
                // deep panel wrote all its lines again. 0.7 → 0.4-0.5 ns an element (a conv's im2col matrix, a
                // feed-forward activation), where packing was about 5 % of a forward pass. The whole heap array
                // is readable, so the other rows are found from the first.
                window.read(start, kn);
                packEightRows(window.array, window.offset, Math.toIntExact(xStride), kn, dst, panel);
            } else if (kStride == 1 && width == w && window.isHeap() && xStride <= Integer.MAX_VALUE / w) {
                // Each position across is a contiguous run along k (A row-major, or B = wᵀ for weights [out, in]):
                // a transpose, done a vector at a time by gathers instead of one scalar store per element.
                window.read(start, 0);
                gatherPanel(window.array, window.offset, (int) xStride, kn, w, dst, panel);
            } else if (kStride == 1) {
                // Rows along k one at a time: a narrow last panel, or an operand off the heap.
                for (int r = 0; r < width; r++) {
                    window.read(start + r * xStride, kn);
                    float[] src = window.array;
                    for (int k = 0, s = window.offset, d = panel + r; k < kn; k++, s++, d += w) dst[d] = src[s];
                }
            } else {
                MemorySegment segment = t.segment();
                for (int k = 0; k < kn; k++) {
                    for (int r = 0; r < width; r++) {
                        dst[panel + k * w + r] = segment.getAtIndex(Tensor.F32, start + k * kStride + r * xStride);
                    }
                }
            }
            if (width < w) {
                for (int k = 0; k < kn; k++) Arrays.fill(dst, panel + k * w + width, panel + (k + 1) * w, 0f);
            }
        }
    }

    /** {@link #pack} of differences: row-major A on the heap eight rows at a time, anything else element by element. */
    private static void packDifference(Tensor t, long kStride, long xStride, int kn, int x0, int xn, int w, long minus,
                                       float[] dst, int at, ArrayWindow window) {
        long base = t.offset() + x0 * xStride;
        for (int x = 0; x < xn; x += w) {
            int width = Math.min(w, xn - x);
            int panel = at + (x / w) * w * kn;
            long start = base + x * xStride;
            if (kStride == 1 && w == 8 && width == w && window.isHeap()) {
                window.read(start, kn); // the whole heap array is readable: the other rows and the subtrahends too
                packEightRowDifferences(window.array, window.offset, Math.toIntExact(xStride), Math.toIntExact(minus), kn,
                        dst, panel);
            } else {
                MemorySegment segment = t.segment();
                for (int k = 0; k < kn; k++) {
                    for (int r = 0; r < width; r++) {
                        long e = start + k * kStride + r * xStride;
                        dst[panel + k * w + r] = segment.getAtIndex(Tensor.F32, e) - segment.getAtIndex(Tensor.F32, e + minus);
                    }
                    for (int r = width; r < w; r++) dst[panel + k * w + r] = 0f;
                }
            }
        }
    }

    /** {@code dst[at + k·8 + r] = src[from + r·stride + k] - src[from + r·stride + k + minus]} for the 8 rows of a panel. */
    private static void packEightRowDifferences(float[] src, int from, int stride, int minus, int kn, float[] dst, int at) {
        int r0 = from, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
        int r4 = r3 + stride, r5 = r4 + stride, r6 = r5 + stride, r7 = r6 + stride;
        for (int k = 0, d = at; k < kn; k++, d += 8) {
            dst[d] = src[r0 + k] - src[r0 + minus + k];
            dst[d + 1] = src[r1 + k] - src[r1 + minus + k];
            dst[d + 2] = src[r2 + k] - src[r2 + minus + k];
            dst[d + 3] = src[r3 + k] - src[r3 + minus + k];
            dst[d + 4] = src[r4 + k] - src[r4 + minus + k];
            dst[d + 5] = src[r5 + k] - src[r5 + minus + k];
            dst[d + 6] = src[r6 + k] - src[r6 + minus + k];
            dst[d + 7] = src[r7 + k] - src[r7 + minus + k];
        }
    }

    /** {@code dst[at + k·8 + r] = src[from + r·stride + k]} for the 8 rows of a panel. */
    private static void packEightRows(float[] src, int from, int stride, int kn, float[] dst, int at) {
        int r0 = from, r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride;
        int r4 = r3 + stride, r5 = r4 + stride, r6 = r5 + stride, r7 = r6 + stride;
        for (int k = 0, d = at; k < kn; k++, d += 8) {
            dst[d] = src[r0 + k];
            dst[d + 1] = src[r1 + k];
            dst[d + 2] = src[r2 + k];
            dst[d + 3] = src[r3 + k];
            dst[d + 4] = src[r4 + k];
            dst[d + 5] = src[r5 + k];
            dst[d + 6] = src[r6 + k];
            dst[d + 7] = src[r7 + k];
        }
    }

    /**
     * {@code dst[at + k·w + r] = src[from + r·ld + k]} for {@code k < kn}, {@code r < w}: one packed panel from
     * {@code w} runs along k. The destination is filled a vector at a time; lane {@code l} of the vector at
     * {@code at + e} reads position {@code (e + l) mod w} at step {@code (e + l) / w}, a pattern that repeats (shifted
     * by whole steps) every {@code lcm(w, L)} destination elements, so one index map serves the whole panel.
     */
    private static void gatherPanel(float[] src, int from, int ld, int kn, int w, float[] dst, int at) {
        int period = lcm(w, GemmKernel.L), steps = period / w;
        int[] index = new int[period];
        for (int e = 0; e < period; e++) index[e] = (e % w) * ld + e / w;
        int k = 0;
        for (; k + steps <= kn; k += steps) {
            for (int v = 0; v < period; v += GemmKernel.L) {
                FloatVector.fromArray(GemmKernel.SPECIES, src, from + k, index, v).intoArray(dst, at + k * w + v);
            }
        }
        for (; k < kn; k++) {
            for (int r = 0; r < w; r++) dst[at + k * w + r] = src[from + r * ld + k];
        }
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /** A short copy in vectors: for runs of a few dozen floats {@code System.arraycopy}'s call costs more. */
    private static void copy(float[] src, int from, float[] dst, int to, int n) {
        int i = 0;
        for (int bound = GemmKernel.SPECIES.loopBound(n); i < bound; i += GemmKernel.L) {
            FloatVector.fromArray(GemmKernel.SPECIES, src, from + i).intoArray(dst, to + i);
        }
        for (; i < n; i++) dst[to + i] = src[from + i];
    }
}
