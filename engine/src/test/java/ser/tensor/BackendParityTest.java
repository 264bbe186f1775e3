package ser.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link SimdOps} operation against {@link ScalarOps}, the reference, on awkward sizes (1, 7, 17, 1023: below,
 * between and across vector widths), on every memory layout a tensor can have (heap, off-heap, a heap segment that
 * starts inside its array, row slices, transposes), in place, and with broadcasting.
 *
 * <p>Tolerances follow what may differ: operations that round once per element must agree exactly; exp and log
 * come from different libraries and may differ by an ulp or two; sums may be reordered, so they are held to a
 * bound proportional to the sum of magnitudes.
 */
class BackendParityTest {

    private static final ScalarOps REF = new ScalarOps();
    private static final Parallel TWO_THREADS = new Parallel(2);
    private static final SimdOps SIMD = new SimdOps(TWO_THREADS);
    private static final SimdOps SIMD_ONE_THREAD = new SimdOps(new Parallel(1));
    private static final float EPS = Math.ulp(1f);

    @AfterAll
    static void stopPool() {
        TWO_THREADS.close();
    }

    /** How a test tensor sits in memory; each layout holds the same logical values. */
    enum Layout {
        HEAP, OFF_HEAP,
        /** A heap segment that starts 3 floats into its array: checks the heap offset arithmetic. */
        HEAP_INNER_SEGMENT,
        /** Rows cut out of wider rows: unit stride along the row, gaps between rows. */
        ROW_SLICE,
        /** The last two axes stored swapped and viewed through a transpose (a vector: every other float). */
        TRANSPOSED;

        Tensor make(float[] values, int... shape) {
            Tensor t = empty(shape);
            t.copyFrom(Tensor.wrap(values, shape));
            return t;
        }

        Tensor empty(int... shape) {
            long n = Tensor.count(shape);
            return switch (this) {
                case HEAP -> Tensor.zeros(shape);
                case OFF_HEAP -> Tensor.zeros(Arena.ofAuto(), shape);
                case HEAP_INNER_SEGMENT -> Tensor.wrap(MemorySegment.ofArray(new float[(int) n + 5]).asSlice(3L * Float.BYTES), 0, shape);
                case ROW_SLICE -> {
                    int[] wide = shape.clone();
                    if (wide.length == 0) yield Tensor.zeros(shape);
                    wide[wide.length - 1] += 3;
                    yield Tensor.zeros(wide).slice(-1, 2, 2 + shape[shape.length - 1]);
                }
                case TRANSPOSED -> {
                    if (shape.length == 0) yield Tensor.zeros();
                    if (shape.length == 1) yield Tensor.zeros(shape[0], 2).select(1, 0); // every other float
                    int[] swapped = shape.clone();
                    swapped[shape.length - 1] = shape[shape.length - 2];
                    swapped[shape.length - 2] = shape[shape.length - 1];
                    yield Tensor.zeros(swapped).transpose(-1, -2);
                }
            };
        }
    }

    static Stream<Arguments> shapesAndLayouts() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {{1}, {7}, {17}, {1023}, {3, 7}, {2, 3, 17}, {5, 1023}, {4, 1}, {1, 9}};
        for (int[] shape : shapes) {
            for (Layout layout : Layout.values()) cases.add(Arguments.of(layout, shape));
        }
        return cases.stream();
    }

    // ---- element-wise -------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndLayouts")
    void unaryOperationsMatchTheReference(Layout layout, int[] shape) {
        float[] x = random(shape, 1, -4, 4);
        float[] positive = random(shape, 2, 1e-3f, 50);
        checkUnary("scale", layout, shape, x, (o, in, out) -> o.scale(in, -1.7f, out), 0);
        checkUnary("addScalar", layout, shape, x, (o, in, out) -> o.addScalar(in, 0.3f, out), 0);
        checkUnary("relu", layout, shape, x, Ops::relu, 0);
        checkUnary("gelu", layout, shape, x, Ops::gelu, 0);
        checkUnary("sqrt", layout, shape, positive, Ops::sqrt, 0);
        checkUnary("exp", layout, shape, x, Ops::exp, 2 * EPS);
        checkUnary("log", layout, shape, positive, Ops::log, 2 * EPS);
    }

    /** Long contiguous runs of GELU, exp and log are shared over the pool, in ranges that end mid-chunk. */
    @ParameterizedTest
    @MethodSource("layouts")
    void longTranscendentalRunsMatchTheReference(Layout layout) {
        int[] shape = {9, 8191};
        float[] x = random(shape, 5, -4, 4);
        float[] positive = random(shape, 6, 1e-3f, 50);
        checkUnary("gelu", layout, shape, x, Ops::gelu, 0);
        checkUnary("exp", layout, shape, x, Ops::exp, 2 * EPS);
        checkUnary("log", layout, shape, positive, Ops::log, 2 * EPS);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndLayouts")
    void binaryOperationsMatchTheReference(Layout layout, int[] shape) {
        float[] x = random(shape, 3, -4, 4), y = random(shape, 4, -4, 4);
        for (BinaryOp op : BinaryOp.values()) {
            Tensor expected = Tensor.zeros(shape);
            op.apply(REF, Tensor.wrap(x, shape), Tensor.wrap(y, shape), expected);
            Tensor out = layout.empty(shape);
            op.apply(SIMD, layout.make(x, shape), layout.make(y, shape), out);
            assertClose(op + " " + layout, expected.toArray(), out.toArray(), 0, 0);

            Tensor inPlace = layout.make(x, shape);
            op.apply(SIMD, inPlace, layout.make(y, shape), inPlace);
            assertClose(op + " in place " + layout, expected.toArray(), inPlace.toArray(), 0, 0);
        }
    }

    /**
     * Large element-wise operations and layer norms are shared out by ranges of rows: a bias, a column and a
     * residual of a [149, 769] map, in place as a linear layer adds them, a scale and a ReLU, and a copy of every
     * other row onto the rows between, give the bits of one thread.
     */
    @Test
    void largeRowWiseWorkGivesTheBitsOfOneThread() {
        int[] shape = {149, 769};
        float[] x = random(shape, 21, -4, 4), y = random(shape, 22, -4, 4);
        float[] bias = random(new int[] {769}, 23, -1, 1), column = random(new int[] {149, 1}, 24, -1, 1);
        float[][] results = new float[2][];
        SimdOps[] backends = {SIMD_ONE_THREAD, SIMD};
        for (int i = 0; i < 2; i++) {
            Tensor out = Tensor.wrap(x.clone(), shape);
            backends[i].add(out, Tensor.wrap(bias, 769), out);
            backends[i].sub(out, Tensor.wrap(column, 149, 1), out);
            backends[i].mul(out, Tensor.wrap(y, shape), out);
            backends[i].layerNorm(out, Tensor.wrap(bias, 769), null, 1e-5f, out);
            backends[i].scale(out, 0.75f, out);
            backends[i].relu(out, out);
            Tensor even = Tensor.view(out.segment(), 0, new int[] {74, 769}, new long[] {2 * 769, 1});
            backends[i].scale(even, 1f, Tensor.view(out.segment(), 769, new int[] {74, 769}, new long[] {2 * 769, 1}));
            results[i] = out.toArray();
        }
        assertArrayEquals(results[0], results[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void broadcastingMatchesTheReference(Layout layout) {
        int[] full = {2, 3, 17};
        int[][] partners = {{17}, {1, 17}, {3, 1}, {2, 3, 1}, {1}, {2, 1, 17}, {}};
        float[] x = random(full, 5, -3, 3);
        for (int[] partner : partners) {
            float[] y = random(partner, 6, -3, 3);
            for (BinaryOp op : BinaryOp.values()) {
                for (boolean swap : new boolean[] {false, true}) {
                    Tensor expected = Tensor.zeros(full);
                    Tensor refA = Tensor.wrap(x, full), refB = Tensor.wrap(y, partner);
                    Tensor a = layout.make(x, full), b = layout.make(y, partner);
                    Tensor out = layout.empty(full);
                    if (swap) {
                        op.apply(REF, refB, refA, expected);
                        op.apply(SIMD, b, a, out);
                    } else {
                        op.apply(REF, refA, refB, expected);
                        op.apply(SIMD, a, b, out);
                    }
                    assertClose(op + " " + Arrays.toString(full) + (swap ? " from " : " with ") + Arrays.toString(partner),
                            expected.toArray(), out.toArray(), 0, 0);
                }
            }
        }
    }

    @Test
    void mismatchedShapesAreRejectedAlike() {
        Tensor a = Tensor.zeros(2, 3), b = Tensor.zeros(4), out = Tensor.zeros(2, 3);
        for (Ops ops : new Ops[] {REF, SIMD}) {
            assertThrows(IllegalArgumentException.class, () -> ops.add(a, b, out));
            assertThrows(IllegalArgumentException.class, () -> ops.relu(a, Tensor.zeros(3, 2)));
            assertThrows(IllegalArgumentException.class, () -> ops.sum(a, Tensor.zeros(3)));
            assertThrows(IllegalArgumentException.class, () -> ops.matmul(a, a, Tensor.zeros(2, 2)));
            assertThrows(IllegalArgumentException.class, () -> ops.argmax(a, new int[3]));
        }
    }

    // ---- reductions and row-wise --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndLayouts")
    void reductionsMatchTheReference(Layout layout, int[] shape) {
        float[] x = random(shape, 7, -2, 5);
        Tensor a = layout.make(x, shape);
        int[] rowsShape = Arrays.copyOf(shape, shape.length - 1);
        float[] magnitudes = rowSumsOfMagnitudes(x, shape);
        for (String op : new String[] {"sum", "mean", "max"}) {
            Tensor expected = Tensor.zeros(rowsShape), actual = layout.empty(rowsShape);
            reduce(REF, op, Tensor.wrap(x, shape), expected);
            reduce(SIMD, op, a, actual);
            float[] e = expected.toArray(), g = actual.toArray();
            for (int r = 0; r < e.length; r++) {
                float bound = op.equals("max") ? 0 : sumTolerance(shape[shape.length - 1], magnitudes[r])
                        / (op.equals("mean") ? shape[shape.length - 1] : 1);
                assertWithin(op + " " + layout + " row " + r, e[r], g[r], bound);
            }
        }
        int rows = (int) Shapes.rows(a);
        int[] expectedIdx = new int[rows], actualIdx = new int[rows];
        REF.argmax(Tensor.wrap(x, shape), expectedIdx);
        SIMD.argmax(a, actualIdx);
        assertArrayEquals(expectedIdx, actualIdx, "argmax " + layout);
        double total = 0;
        for (float v : magnitudes) total += v;
        assertWithin("sumAll " + layout, REF.sumAll(Tensor.wrap(x, shape)), SIMD.sumAll(a), sumTolerance(x.length, (float) total));
    }

    @Test
    void reductionsAcceptAKeptLastAxis() {
        float[] x = random(new int[] {3, 7}, 8, -1, 1);
        Tensor expected = Tensor.zeros(3), kept = Tensor.zeros(3, 1);
        REF.sum(Tensor.wrap(x, 3, 7), expected);
        SIMD.sum(Tensor.wrap(x, 3, 7), kept);
        assertClose("sum keeping the axis", expected.toArray(), kept.toArray(), 4 * EPS, 1e-6f);
    }

    @Test
    void argmaxTakesTheFirstMaximumAndTheFirstNaN() {
        float[] ties = new float[40];
        ties[21] = 5;
        ties[37] = 5;
        float[] nan = new float[40];
        nan[3] = 9;
        nan[25] = Float.NaN;
        nan[33] = Float.NaN;
        for (Ops ops : new Ops[] {REF, SIMD}) {
            int[] idx = new int[2];
            Tensor both = Tensor.zeros(2, 40);
            both.select(0, 0).copyFrom(Tensor.wrap(ties, 40));
            both.select(0, 1).copyFrom(Tensor.wrap(nan, 40));
            ops.argmax(both, idx);
            assertArrayEquals(new int[] {21, 25}, idx, ops.getClass().getSimpleName());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("shapesAndLayouts")
    void softmaxAndLayerNormMatchTheReference(Layout layout, int[] shape) {
        int n = shape[shape.length - 1];
        float[] x = random(shape, 9, -8, 30); // a large offset: stable softmax and two-pass variance matter
        float[] gamma = random(new int[] {n}, 10, 0.5f, 2), beta = random(new int[] {n}, 11, -1, 1);

        checkRowWise("softmax", layout, shape, x, Ops::softmax, 1e-6f);
        checkRowWise("logSoftmax", layout, shape, x, Ops::logSoftmax, 4e-6f);
        checkRowWise("layerNorm", layout, shape, x, (o, in, out) -> o.layerNorm(in,
                layout.make(gamma, n), layout.make(beta, n), 1e-5f, out), 2e-5f);
        checkRowWise("layerNorm without affine", layout, shape, x, (o, in, out) -> o.layerNorm(in, null, null, 1e-5f, out), 2e-5f);
    }

    @Test
    void softmaxSurvivesHugeLogits() {
        float[] x = {1000, 1001, -1000, 999};
        Tensor out = Tensor.zeros(4);
        SIMD.softmax(Tensor.wrap(x, 4), out);
        assertTrue(Float.isFinite(out.get(0)) && out.get(1) > 0.6f && out.get(2) == 0, out.toString());
    }

    // ---- GEMM ---------------------------------------------------------------------------------------------

    static Stream<Arguments> gemmShapes() {
        int[][] mkn = {
                {1, 1, 1}, {7, 17, 33}, {129, 65, 257},
                {GemmKernel.MR, 4, GemmKernel.NR},  // exactly one micro-tile
                {13, 300, 40},                      // several K blocks: beta applies to the first only
                {300, 20, 100},                     // several row blocks, shared between the threads
                {3, 5, 2100},                       // several column blocks of packed B
                {1, 64, 48},
                {37, 64, 149}};                     // an attention head: A in place, a last panel of 5 columns
        return Arrays.stream(mkn).map(s -> Arguments.of(s[0], s[1], s[2]));
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("gemmShapes")
    void gemmMatchesTheReferenceForEveryOperandLayout(int m, int k, int n) {
        float[] a = random(new int[] {m, k}, 12, -1, 1), b = random(new int[] {k, n}, 13, -1, 1);
        float[] c0 = random(new int[] {m, n}, 14, -1, 1);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (Layout layout : new Layout[] {Layout.HEAP, Layout.OFF_HEAP, Layout.ROW_SLICE}) {
                    Tensor ta = matrix(layout, a, m, k, transA), tb = matrix(layout, b, k, n, transB);
                    String what = m + "x" + k + "x" + n + (transA ? " Aᵀ" : "") + (transB ? " Bᵀ" : "") + " " + layout;
                    checkGemm(what, SIMD, ta, tb, 1f, 0f, layout.make(filledWithNaN(m * n), m, n), a, b, c0, m, k, n);
                    checkGemm(what + " accumulating", SIMD, ta, tb, 0.5f, -2f, layout.make(c0, m, n), a, b, c0, m, k, n);
                }
            }
        }
        checkGemm("single thread", SIMD_ONE_THREAD, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), 1f, 1f,
                Tensor.wrap(c0.clone(), m, n), a, b, c0, m, k, n);
        checkGemm("transposed C", SIMD, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), 1f, 0f,
                Layout.TRANSPOSED.make(c0, m, n), a, b, c0, m, k, n);
    }

    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("gemmShapes")
    void gemmWithPrepackedWeightsMatchesTheReference(int m, int k, int n) {
        float[] a = random(new int[] {m, k}, 15, -1, 1), b = random(new int[] {k, n}, 16, -1, 1);
        float[] c0 = random(new int[] {m, n}, 17, -1, 1);
        for (boolean transB : new boolean[] {false, true}) {
            for (Layout layout : new Layout[] {Layout.HEAP, Layout.OFF_HEAP, Layout.ROW_SLICE}) {
                Tensor tb = matrix(layout, b, k, n, transB);
                PackedMatrix packed = SIMD.prepack(tb);
                String what = m + "x" + k + "x" + n + " prepacked" + (transB ? " Bᵀ" : "") + " " + layout;
                checkGemm(what, SIMD, Tensor.wrap(a, m, k), packed, 1f, 0f, layout.make(filledWithNaN(m * n), m, n), a, b, c0, m, k, n);
                checkGemm(what + " accumulating", SIMD, layout.make(a, m, k), packed, 0.5f, -2f, layout.make(c0, m, n), a, b, c0, m, k, n);
                checkGemm(what + " single thread", SIMD_ONE_THREAD, Tensor.wrap(a, m, k), packed, 1f, 1f,
                        Tensor.wrap(c0.clone(), m, n), a, b, c0, m, k, n);
            }
        }
        // Handles cross backends: each multiplies by the view when the handle holds no layout of its own.
        Tensor tb = Tensor.wrap(b, k, n);
        checkGemm("reference handle on SIMD", SIMD, Tensor.wrap(a, m, k), REF.prepack(tb), 1f, 0f,
                Tensor.wrap(new float[m * n], m, n), a, b, c0, m, k, n);
        checkGemm("SIMD handle on the reference", REF, Tensor.wrap(a, m, k), SIMD.prepack(tb), 1f, 0f,
                Tensor.wrap(new float[m * n], m, n), a, b, c0, m, k, n);
    }

    /**
     * The fused linear layer against its three steps on the same backend: bit for bit, since it applies the same
     * bias addition and GELU to each finished tile; then against the reference, within the GEMM's bound. Shapes add
     * a tall A whose K is walked in two spans (the bias and GELU must wait for the last).
     */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("linearShapes")
    void linearIsTheProductThenTheBiasThenTheActivation(int m, int k, int n) {
        float[] x = random(new int[] {m, k}, 18, -1, 1), w = random(new int[] {k, n}, 19, -1, 1);
        float[] bias = random(new int[] {n}, 20, -1, 1), c0 = random(new int[] {m, n}, 21, -1, 1);
        PackedMatrix packed = SIMD.prepack(Tensor.wrap(w, k, n));
        for (Activation activation : Activation.values()) {
            for (float beta : new float[] {0f, 1f}) {
                for (Layout layout : new Layout[] {Layout.HEAP, Layout.OFF_HEAP, Layout.ROW_SLICE}) {
                    for (Tensor b : new Tensor[] {null, Layout.HEAP.make(bias, n), Layout.OFF_HEAP.make(bias, n)}) {
                        String what = m + "x" + k + "x" + n + " " + activation + " beta " + beta + " " + layout
                                + (b == null ? " no bias" : b.heapArray() == null ? " off-heap bias" : " bias");
                        Tensor fused = layout.make(beta == 0 ? filledWithNaN(m * n) : c0, m, n);
                        SIMD.linear(Tensor.wrap(x, m, k), packed, b, beta, activation, fused);
                        Tensor steps = layout.make(beta == 0 ? filledWithNaN(m * n) : c0, m, n);
                        SIMD.gemm(1f, Tensor.wrap(x, m, k), packed, beta, steps);
                        if (b != null) SIMD.add(steps, b, steps);
                        if (activation == Activation.GELU) SIMD.gelu(steps, steps);
                        assertArrayEquals(steps.toArray(), fused.toArray(), what);
                    }
                }
            }
        }
        // And the reference's unfused default, on a heap output (the fused path).
        Tensor expected = Tensor.wrap(c0.clone(), m, n), actual = Tensor.wrap(c0.clone(), m, n);
        REF.linear(Tensor.wrap(x, m, k), REF.prepack(Tensor.wrap(w, k, n)), Tensor.wrap(bias, n), 1f, Activation.IDENTITY, expected);
        SIMD.linear(Tensor.wrap(x, m, k), packed, Tensor.wrap(bias, n), 1f, Activation.IDENTITY, actual);
        // |x|, |w|, |c|, |bias| ≤ 1: each sum's magnitude is at most k + 2, and its rounding (k + 3)·eps of that.
        float bound = 2 * (k + 3) * EPS * (k + 2);
        float[] e = expected.toArray(), g = actual.toArray();
        for (int i = 0; i < e.length; i++) assertWithin(m + "x" + k + "x" + n + " vs reference", e[i], g[i], bound);
    }

    /**
     * A linear layer of {@code x - y} gives the bits of the layer of the difference formed first: SimdOps forms the
     * differences as it packs A when y is x moved along one array (rows 3 further here), and falls back to the
     * subtraction when y lies elsewhere; the reference's default does the latter.
     */
    @ParameterizedTest(name = "{0}x{1}x{2}")
    @MethodSource("linearShapes")
    void linearOfDifferenceIsTheLayerOfTheDifference(int m, int k, int n) {
        float[] rows = random(new int[] {m + 3, k}, 25, -1, 1), w = random(new int[] {k, n}, 26, -1, 1);
        float[] bias = random(new int[] {n}, 27, -1, 1), c0 = random(new int[] {m, n}, 28, -1, 1);
        Tensor all = Tensor.wrap(rows, m + 3, k), x = all.slice(0, 0, m), shifted = all.slice(0, 3, m + 3);
        Tensor elsewhere = Tensor.wrap(shifted.toArray(), m, k);
        for (Ops ops : new Ops[] {SIMD, SIMD_ONE_THREAD, REF}) {
            PackedMatrix packed = ops.prepack(Tensor.wrap(w, k, n));
            Tensor difference = Tensor.zeros(m, k);
            ops.sub(x, shifted, difference);
            Tensor expected = Tensor.wrap(c0.clone(), m, n);
            ops.linear(difference, packed, Tensor.wrap(bias, n), 1f, Activation.GELU, expected);
            for (Tensor y : new Tensor[] {shifted, elsewhere}) {
                Tensor actual = Tensor.wrap(c0.clone(), m, n);
                ops.linearOfDifference(x, y, packed, Tensor.wrap(bias, n), 1f, Activation.GELU, actual);
                assertArrayEquals(expected.toArray(), actual.toArray(), ops.getClass().getSimpleName() + " "
                        + m + "x" + k + "x" + n + (y == shifted ? " shifted" : " elsewhere"));
            }
        }
    }

    static Stream<Arguments> linearShapes() {
        return Stream.concat(gemmShapes(), Stream.of(Arguments.of(420, 1500, 61)));
    }

    @Test
    void prepackedWeightsAreASnapshot() {
        float[] b = {1, 2, 3, 4};
        PackedMatrix packed = SIMD.prepack(Tensor.wrap(b, 2, 2));
        b[0] = 100;
        Tensor c = Tensor.zeros(1, 2);
        SIMD.gemm(1f, Tensor.wrap(new float[] {1, 1}, 1, 2), packed, 0f, c);
        assertArrayEquals(new float[] {4, 6}, c.toArray());
    }

    @Test
    void gemmOfAnEmptyInnerDimensionScalesC() {
        Tensor c = Tensor.wrap(new float[] {1, 2, 3, 4}, 2, 2);
        SIMD.gemm(1f, Tensor.zeros(2, 0), Tensor.zeros(0, 2), 3f, c);
        assertArrayEquals(new float[] {3, 6, 9, 12}, c.toArray());
    }

    /** Runs {@code c = alpha·a·b + beta·c} on {@code ops} and the reference; the bound is Higham's k·eps·|a||b|. */
    private static void checkGemm(String what, Ops ops, Tensor ta, Tensor tb, float alpha, float beta, Tensor c,
                                  float[] a, float[] b, float[] c0, int m, int k, int n) {
        checkGemm(what, alpha, beta, c, a, b, c0, m, k, n, () -> ops.gemm(alpha, ta, tb, beta, c));
    }

    private static void checkGemm(String what, Ops ops, Tensor ta, PackedMatrix tb, float alpha, float beta, Tensor c,
                                  float[] a, float[] b, float[] c0, int m, int k, int n) {
        checkGemm(what, alpha, beta, c, a, b, c0, m, k, n, () -> ops.gemm(alpha, ta, tb, beta, c));
    }

    /** Checks what {@code product} leaves in {@code c}. */
    private static void checkGemm(String what, float alpha, float beta, Tensor c,
                                  float[] a, float[] b, float[] c0, int m, int k, int n, Runnable product) {
        Tensor expected = Tensor.wrap(beta == 0 ? new float[m * n] : c0.clone(), m, n);
        REF.gemm(alpha, Tensor.wrap(a, m, k), Tensor.wrap(b, k, n), beta, expected);
        Tensor magnitude = Tensor.zeros(m, n);
        REF.gemm(Math.abs(alpha), Tensor.wrap(abs(a), m, k), Tensor.wrap(abs(b), k, n), 0f, magnitude);
        product.run();
        float[] e = expected.toArray(), g = c.toArray(), mag = magnitude.toArray();
        for (int i = 0; i < e.length; i++) {
            float bound = 2 * (k + 2) * EPS * (mag[i] + Math.abs(beta * c0[i])) + Float.MIN_NORMAL;
            if (!(Math.abs(e[i] - g[i]) <= bound)) {
                fail(what + ": c[" + i / n + "," + i % n + "] = " + g[i] + ", expected " + e[i] + " ± " + bound);
            }
        }
    }

    /** An {@code rows × cols} matrix holding {@code values}, stored as such or as the transpose of its transpose. */
    private static Tensor matrix(Layout layout, float[] values, int rows, int cols, boolean transposed) {
        if (!transposed) return layout.make(values, rows, cols);
        Tensor stored = layout.empty(cols, rows);
        stored.copyFrom(Tensor.wrap(values, rows, cols).transpose(0, 1));
        return stored.transpose(0, 1);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    enum BinaryOp {
        ADD, SUB, MUL;

        void apply(Ops ops, Tensor a, Tensor b, Tensor out) {
            switch (this) {
                case ADD -> ops.add(a, b, out);
                case SUB -> ops.sub(a, b, out);
                case MUL -> ops.mul(a, b, out);
            }
        }
    }

    /** The sequence operations (masking, padding, windows) on every layout, SIMD against the reference, exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void sequenceOperationsMatchTheReference(Layout layout) {
        int[] shape = {3, 9, 17};
        int[] lengths = {9, 0, 5};
        float[] x = random(shape, 21, -1, 1);
        Tensor expected = Tensor.zeros(shape);
        REF.maskRows(Tensor.wrap(x, shape), lengths, expected);
        Tensor out = layout.empty(shape);
        SIMD.maskRows(layout.make(x, shape), lengths, out);
        assertArrayEquals(expected.toArray(), out.toArray(), "maskRows " + layout);
        Tensor inPlace = layout.make(x, shape);
        SIMD.maskRows(inPlace, lengths, inPlace);
        assertArrayEquals(expected.toArray(), inPlace.toArray(), "maskRows in place " + layout);

        int[] rows = {9, 17}, padded = {9 + 6, 17};
        expected = Tensor.zeros(padded);
        REF.padRows(Tensor.wrap(x, 3 * 9, 17).slice(0, 0, 9), 4, expected);
        out = layout.make(filledWithNaN(15 * 17), padded);
        SIMD.padRows(layout.make(Arrays.copyOf(x, 9 * 17), rows), 4, out);
        assertArrayEquals(expected.toArray(), out.toArray(), "padRows " + layout);

        int n = 3 * 9 * 17, frames = (n - 10) / 5 + 1;
        Tensor signal = layout.make(x, n);
        expected = Tensor.zeros(frames, 11);
        REF.frameWindows(Tensor.wrap(x, n), 10, 5, 0.5f, expected);
        out = layout.empty(frames, 11);
        SIMD.frameWindows(signal, 10, 5, 0.5f, out);
        assertArrayEquals(expected.toArray(), out.toArray(), "frameWindows " + layout);
    }

    interface UnaryCall { void apply(Ops ops, Tensor in, Tensor out); }

    static Stream<Layout> layouts() {
        return Arrays.stream(Layout.values());
    }

    private static void checkUnary(String name, Layout layout, int[] shape, float[] x, UnaryCall op, float relTol) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), expected);
        Tensor out = layout.empty(shape);
        op.apply(SIMD, layout.make(x, shape), out);
        assertClose(name + " " + layout, expected.toArray(), out.toArray(), relTol, 0);
        Tensor inPlace = layout.make(x, shape);
        op.apply(SIMD, inPlace, inPlace);
        assertClose(name + " in place " + layout, expected.toArray(), inPlace.toArray(), relTol, 0);
    }

    private static void checkRowWise(String name, Layout layout, int[] shape, float[] x, UnaryCall op, float absTol) {
        Tensor expected = Tensor.zeros(shape);
        op.apply(REF, Tensor.wrap(x, shape), expected);
        Tensor out = layout.empty(shape);
        op.apply(SIMD, layout.make(x, shape), out);
        assertClose(name + " " + layout, expected.toArray(), out.toArray(), absTol, absTol);
        Tensor inPlace = layout.make(x, shape);
        op.apply(SIMD, inPlace, inPlace);
        assertClose(name + " in place " + layout, expected.toArray(), inPlace.toArray(), absTol, absTol);
    }

    private static void reduce(Ops ops, String op, Tensor a, Tensor out) {
        switch (op) {
            case "sum" -> ops.sum(a, out);
            case "mean" -> ops.mean(a, out);
            case "max" -> ops.max(a, out);
            default -> throw new IllegalArgumentException(op);
        }
    }

    /**
     * A float sum of {@code n} terms in any order: errors of its roundings add up like a random walk, so
     * {@code 4·√n·eps·Σ|x|} is generous for fixed data yet catches a dropped or doubled term.
     */
    private static float sumTolerance(int n, float sumOfMagnitudes) {
        return (float) (4 * Math.sqrt(n) * EPS * sumOfMagnitudes);
    }

    private static float[] rowSumsOfMagnitudes(float[] x, int[] shape) {
        int n = shape[shape.length - 1];
        float[] sums = new float[x.length / n];
        for (int i = 0; i < x.length; i++) sums[i / n] += Math.abs(x[i]);
        return sums;
    }

    /** Each element within {@code relTol · |expected| + absTol}; NaN must meet NaN. */
    private static void assertClose(String what, float[] expected, float[] actual, float relTol, float absTol) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertWithin(what + " [" + i + "]", expected[i], actual[i], relTol * Math.abs(expected[i]) + absTol);
        }
    }

    private static void assertWithin(String what, float expected, float actual, float bound) {
        if (Float.isNaN(expected) && Float.isNaN(actual)) return;
        if (!(Math.abs(expected - actual) <= bound)) fail(what + ": " + actual + ", expected " + expected + " ± " + bound);
    }

    private static float[] random(int[] shape, long seed, float lo, float hi) {
        Random r = new Random(seed);
        float[] v = new float[(int) Tensor.count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * r.nextFloat();
        return v;
    }

    private static float[] filledWithNaN(int n) {
        float[] v = new float[n];
        Arrays.fill(v, Float.NaN);
        return v;
    }

    private static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }
}
