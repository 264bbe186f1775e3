package ser.io.pickle;

/**
 * A pickle that is malformed, or that asks for something the allow-list refuses. {@link SafeUnpickler}
 * turns it into a {@link ser.SerException} naming the file; allowed globals throw it for bad arguments.
 */
public final class UnpicklingError extends RuntimeException {

    public UnpicklingError(String message) {
        super(message);
    }
}
