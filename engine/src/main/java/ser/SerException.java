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
        super(oneLine(message));
    }

    public SerException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /**
     * The message with its line breaks escaped: whatever text from a file a message quotes, it stays the one
     * line that the CLI and scripts expect (callers should still {@link #quote} such text, which also cuts it).
     */
    private static String oneLine(String message) {
        if (message == null) return null;
        StringBuilder out = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            String escape = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\u000b', '\u000c', '\u0085', '\u2028', '\u2029' -> String.format("\\u%04x", (int) c);
                default -> null;
            };
            if (escape != null && out == null) out = new StringBuilder(message.length() + 8).append(message, 0, i);
            if (out != null) {
                if (escape != null) out.append(escape);
                else out.append(c);
            }
        }
        return out == null ? message : out.toString();
    }

    /** {@code "<file>: <problem>"}, the shape of every file-related error in the project. */
    public static SerException inFile(Path file, String problem) {
        return new SerException(file + ": " + problem);
    }

    public static SerException inFile(Path file, String problem, Throwable cause) {
        return new SerException(file + ": " + problem, cause);
    }

    /**
     * Text taken from a file (a tensor name, a key, a class name), made safe for a one-line message: control
     * characters escaped and anything past {@value #MAX_QUOTED} characters cut, since a damaged or hostile file
     * decides what such text holds.
     */
    public static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= MAX_QUOTED) return out.append("...").toString();
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.toString();
    }

    /** {@link #printable} in single quotes: {@code tensor 'encoder.layers.0.weight'}. */
    public static String quote(Object text) {
        return "'" + printable(String.valueOf(text)) + "'";
    }

    private static final int MAX_QUOTED = 120;
}
