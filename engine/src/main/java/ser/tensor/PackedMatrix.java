package ser.tensor;

/**
 * A constant right-hand GEMM operand (a weight matrix {@code [K, N]}) prepared once by {@link Ops#prepack} for
 * any number of products {@link Ops#gemm(float, Tensor, PackedMatrix, float, Tensor)}. A backend whose GEMM copies
 * B into its own layout on every call (all fast ones do) does that copy here, once; a linear layer of a 3-second
 * clip otherwise spends about as long repacking its weights as multiplying by them.
 *
 * <p>The handle is opaque: it keeps the view it was made from, which is what backends without a packed layout
 * (the reference) multiply by, and the owning backend's private copy. The copy is a snapshot, so the matrix must
 * not change while the handle is in use. A handle made by one backend works with any other, which then
 * multiplies by the view.
 */
public final class PackedMatrix {

    private final Tensor matrix;
    /** {@link Gemm}'s panels of the whole matrix, or null when the maker has no packed layout. */
    final float[] panels;
    /** A backend of another module's own copy (a device one), or null. */
    private final Object copy;

    PackedMatrix(Tensor matrix, float[] panels) {
        this(matrix, panels, null);
    }

    private PackedMatrix(Tensor matrix, float[] panels, Object copy) {
        if (matrix.rank() != 2) throw new IllegalArgumentException("a packed GEMM operand is a matrix, got rank " + matrix.rank());
        this.matrix = matrix;
        this.panels = panels;
        this.copy = copy;
    }

    /**
     * A handle holding {@code copy}, a backend's own snapshot of {@code matrix} in its own memory and layout (a
     * device backend's upload): for backends outside this package, which read it back with {@link #copy()}.
     */
    public static PackedMatrix withCopy(Tensor matrix, Object copy) {
        return new PackedMatrix(matrix, null, java.util.Objects.requireNonNull(copy));
    }

    /** The copy given to {@link #withCopy}, or null (a CPU backend's handle). */
    public Object copy() { return copy; }

    /**
     * Whether the maker holds a packed copy of its own, so that it no longer reads the view: a mapped weight's
     * pages can then leave the resident set.
     */
    public boolean isCopy() { return panels != null || copy != null; }

    /** The view this handle was made from. */
    public Tensor matrix() { return matrix; }

    /** K, the rows of the matrix. */
    public int rows() { return matrix.dim(0); }

    /** N, the columns of the matrix. */
    public int cols() { return matrix.dim(1); }
}
