package ser.hubert;

import ser.tensor.Tensor;

/**
 * A feature-encoder activation, one row per frame, in one of two row orders: in time order, or split, the even
 * frames first (0, 2, 4, ...) and then the odd ones. {@link PairedConv} reads every other frame and writes even
 * and odd output frames with separate products: in the split order both are contiguous blocks, where in time
 * order its outputs would be every other row, 4 KB apart at 512 channels, so that a tile's eight rows fall in
 * one L1 set.
 */
record Frames(Tensor rows, boolean split) {

    static Frames inTimeOrder(Tensor rows) {
        return new Frames(rows, false);
    }

    int count() {
        return rows.dim(0);
    }

    /** Frames {@code first, first + step, ...}, {@code count} of them, as a view; a split layout needs an even step. */
    Tensor every(int first, int step, int count) {
        long ld = rows.stride(0);
        long row = first, stride = step;
        if (split) {
            if (step % 2 != 0) throw new IllegalArgumentException("a split layout has no view of frames " + step + " apart");
            row = first % 2 == 0 ? first / 2 : (count() + 1) / 2 + first / 2;
            stride = step / 2;
        }
        if (count > 0 && (first < 0 || first + (long) (count - 1) * step >= count())) {
            throw new IndexOutOfBoundsException("frames " + first + " + " + step + "·i, i < " + count + ", of " + count());
        }
        return rows.strided(rows.offset() + row * ld, new int[] {count, rows.dim(1)},
                new long[] {stride * ld, rows.stride(1)});
    }
}
