package ser.cuda;

/**
 * Grid and block sizes of one kernel launch. Pure arithmetic, so it is tested without a GPU.
 *
 * @param gridX blocks along x (up to 2^31 - 1)
 * @param gridY blocks along y (up to 65535)
 */
public record LaunchConfig(int gridX, int gridY, int blockX, int sharedBytes) {

    /** Threads per block for element-wise kernels: a multiple of the warp size that keeps occupancy high. */
    public static final int ELEMENTWISE_BLOCK = 256;

    /** One thread per element of {@code n}, {@link #ELEMENTWISE_BLOCK} threads a block. */
    public static LaunchConfig elementwise(long n) {
        if (n <= 0) throw new IllegalArgumentException("launch over " + n + " elements");
        long blocks = (n + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK;
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException(n + " elements exceed one launch");
        return new LaunchConfig((int) blocks, 1, ELEMENTWISE_BLOCK, 0);
    }

    /**
     * One block per row, for the row kernels (row_ops.cu: reductions, softmax, argmax, layer norm). Threads: the row length rounded
     * up to a warp, at least 32 and at most 1024, since the kernels' block reductions assume whole warps.
     */
    public static LaunchConfig perRow(long rows, int rowLength) {
        if (rows <= 0 || rows > Integer.MAX_VALUE) throw new IllegalArgumentException("launch over " + rows + " rows");
        int threads = Math.min(1024, Math.max(32, (rowLength + 31) / 32 * 32));
        return new LaunchConfig((int) rows, 1, threads, 0);
    }
}
