package ser;

import java.nio.file.Path;

/**
 * An error the user can act on: bad input, a wrong config key, a missing file.
 *
 * <p>The message is one line and names the file (when there is one) and the problem. The CLI prints it as
 * {@code ser: <message>} and exits non-zero without a stack trace; library callers may catch it like any
 * other runtime exception.
 */
public class SerException extends RuntimeException {

    public SerException(String message) {
        super(message);
    }

    public SerException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code "<file>: <problem>"}, the shape of every file-related error in the project. */
    public static SerException inFile(Path file, String problem) {
        return new SerException(file + ": " + problem);
    }

    public static SerException inFile(Path file, String problem, Throwable cause) {
        return new SerException(file + ": " + problem, cause);
    }
}
