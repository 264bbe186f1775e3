package ser.tensor;

/** The activation a fused {@link Ops#linear} applies to its output. */
public enum Activation {
    /** None: the affine map alone. */
    IDENTITY,
    /** The exact GELU of {@link Ops#gelu}. */
    GELU
}
