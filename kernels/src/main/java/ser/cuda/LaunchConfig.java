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
     * A 2-D launch: blockIdx.x over {@code rows} (up to 2^31 - 1), blockIdx.y over {@code cols} in tiles of
     * {@link #ELEMENTWISE_BLOCK} (up to 65535 tiles); each thread takes one (row, column).
     */
    public static LaunchConfig rowTiles(long rows, long cols) {
        long tiles = (cols + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK;
        if (rows <= 0 || rows > Integer.MAX_VALUE || cols <= 0 || tiles > 65535) {
            throw new IllegalArgumentException("launch over " + rows + " rows of " + cols);
        }
        return new LaunchConfig((int) rows, (int) tiles, ELEMENTWISE_BLOCK, 0);
    }

    /** One 256-thread block per (row, group): blockIdx.x over {@code rows}, blockIdx.y over {@code groups}. */
    public static LaunchConfig perRowAndGroup(long rows, int groups) {
        if (rows <= 0 || rows > Integer.MAX_VALUE || groups <= 0 || groups > 65535) {
            throw new IllegalArgumentException("launch over " + rows + " rows and " + groups + " groups");
        }
        return new LaunchConfig((int) rows, groups, ELEMENTWISE_BLOCK, 0);
    }

    /** {@code transpose_tiles}: one 256-thread block per 32 × 32 tile of each [rows, cols] matrix, the batch along y. */
    public static LaunchConfig tiles(int batch, int rows, int cols) {
        long tiles = (long) ((rows + 31) / 32) * ((cols + 31) / 32);
        if (batch <= 0 || batch > 65535 || tiles <= 0 || tiles > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("transpose of " + batch + " x [" + rows + ", " + cols + "]");
        }
        return new LaunchConfig((int) tiles, batch, ELEMENTWISE_BLOCK, 0);
    }

    /**
     * One block per row, for row reductions (layer-norm, softmax, group-norm). Threads: the row length rounded
     * up to a warp, at least 32 and at most 1024, since the kernels' block reductions assume whole warps.
     */
    public static LaunchConfig perRow(long rows, int rowLength) {
        if (rows <= 0 || rows > Integer.MAX_VALUE) throw new IllegalArgumentException("launch over " + rows + " rows");
        int threads = Math.min(1024, Math.max(32, (rowLength + 31) / 32 * 32));
        return new LaunchConfig((int) rows, 1, threads, 0);
    }
}
