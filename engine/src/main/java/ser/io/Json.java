package ser.io;

import ser.RegularFiles;
import ser.SerException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer, enough for safetensors headers, run metadata and metrics files.
 *
 * <p>Reading gives plain Java values: {@code Map<String, Object>} (a {@link LinkedHashMap}, keys in file order),
 * {@code List<Object>}, {@code String}, {@code Long} for integers that fit, {@code Double} for every other number,
 * {@code Boolean} and {@code null}. It is strict: a duplicate key, trailing garbage or nesting deeper than
 * {@value #MAX_DEPTH} is a syntax error, because a lenient reader of weight headers is an attack surface.
 *
 * <p>Writing takes the same kinds of values plus any {@link Number}, {@link Iterable} and primitive arrays.
 * NaN and the infinities are refused: JSON has no spelling for them and a file that silently holds
 * {@code null} instead of a diverged loss would mislead.
 */
public final class Json {

    /** Deep enough for any real document, shallow enough that a hostile one cannot overflow the stack. */
    static final int MAX_DEPTH = 512;

    private Json() {}

    // ---- reading ------------------------------------------------------------------------------------------

    /** Parses one JSON document; a syntax error throws {@link IllegalArgumentException} naming the offset. */
    public static Object parse(String text) {
        return new Parser(text).document();
    }

    /** Parses a UTF-8 JSON file; any problem is a one-line {@link SerException} naming the file. */
    public static Object read(Path file) {
        String text;
        try {
            RegularFiles.checkBeforeOpening(file);
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read: " + IoErrors.describe(e), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(file, "not valid JSON: " + e.getMessage(), e);
        }
    }

    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) { this.s = s; }

        Object document() {
            Object v = value();
            skipSpace();
            if (pos < s.length()) throw error("unexpected " + SerException.quote(s.charAt(pos)) + " after the document");
            return v;
        }

        private Object value() {
            skipSpace();
            if (pos >= s.length()) throw error("unexpected end of text");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected " + SerException.quote(c));
                }
            };
        }

        private Map<String, Object> object() {
            enter();
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') {
                pos++;
                depth--;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a string key");
                String key = string();
                skipSpace();
                expect(':');
                Object v = value();
                if (map.containsKey(key)) throw error("duplicate key " + SerException.quote(key));
                map.put(key, v);
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect('}');
                    depth--;
                    return map;
                }
            }
        }

        private List<Object> array() {
            enter();
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipSpace();
            if (peek() == ']') {
                pos++;
                depth--;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else {
                    expect(']');
                    depth--;
                    return list;
                }
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return out.toString();
                if (c < 0x20) throw error("control character in a string");
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (pos >= s.length()) throw error("unterminated string");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) throw error("bad hex digit in \\u escape");
                            code = code * 16 + d;
                        }
                        out.append((char) code); // surrogate pairs arrive as two escapes and pair up here
                    }
                    default -> throw error("unknown escape " + SerException.quote("\\" + e));
                }
            }
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') pos++;
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                throw error("malformed number");
            }
            boolean integral = true;
            if (peek() == '.') {
                pos++;
                if (!digits()) throw error("malformed number");
                integral = false;
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') pos++;
                if (!digits()) throw error("malformed number");
                integral = false;
            }
            String text = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException tooBig) {
                    // falls through to a double, like every JSON reader without big integers
                }
            }
            return Double.parseDouble(text);
        }

        private boolean digits() {
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') pos++;
            return pos > start;
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) throw error("unexpected " + SerException.quote(s.charAt(pos)));
            pos += word.length();
            return value;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) throw error("nested deeper than " + MAX_DEPTH + " levels");
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error(pos < s.length() ? "expected '" + c + "', found " + SerException.quote(s.charAt(pos))
                        : "expected '" + c + "', found the end of text");
            }
            pos++;
        }

        private char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        private void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("offset " + pos + ": " + problem);
        }
    }

    // ---- writing ------------------------------------------------------------------------------------------

    /** The value as compact JSON on one line. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, false).value(value, 0);
        return out.toString();
    }

    /** The value as indented JSON; lists of plain values stay on one line so matrices read as rows. */
    public static String writePretty(Object value) {
        StringBuilder out = new StringBuilder();
        new Writer(out, true).value(value, 0);
        return out.toString();
    }

    /** Writes {@link #writePretty} plus a newline to {@code file}, atomically. */
    public static void writeFile(Path file, Object value) {
        String text = writePretty(value) + "\n";
        AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private record Writer(StringBuilder out, boolean pretty) {

        void value(Object v, int indent) {
            switch (v) {
                case null -> out.append("null");
                case String str -> string(str);
                case Boolean b -> out.append(b);
                case Double d -> finite(d).append(d);
                case Float f -> finite(f).append(f);
                case Number n -> out.append(n);
                case Character c -> string(c.toString());
                case Map<?, ?> map -> object(map, indent);
                case Iterable<?> it -> array(it, indent);
                case Object[] a -> array(Arrays.asList(a), indent);
                case float[] a -> { List<Object> l = new ArrayList<>(a.length); for (float x : a) l.add(x); array(l, indent); }
                case double[] a -> { List<Object> l = new ArrayList<>(a.length); for (double x : a) l.add(x); array(l, indent); }
                case int[] a -> { List<Object> l = new ArrayList<>(a.length); for (int x : a) l.add(x); array(l, indent); }
                case long[] a -> { List<Object> l = new ArrayList<>(a.length); for (long x : a) l.add(x); array(l, indent); }
                default -> throw new IllegalArgumentException("cannot write a " + v.getClass().getName() + " as JSON");
            }
        }

        private StringBuilder finite(double d) {
            if (!Double.isFinite(d)) throw new IllegalArgumentException("JSON cannot hold " + d);
            return out;
        }

        private void object(Map<?, ?> map, int indent) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, not " + e.getKey());
                }
                if (!first) out.append(',');
                first = false;
                newline(indent + 1);
                string(key);
                out.append(pretty ? ": " : ":");
                value(e.getValue(), indent + 1);
            }
            newline(indent);
            out.append('}');
        }

        private void array(Iterable<?> items, int indent) {
            boolean flat = true;
            boolean empty = true;
            for (Object o : items) {
                empty = false;
                if (o instanceof Map || o instanceof Iterable || (o != null && o.getClass().isArray())) flat = false;
            }
            if (empty) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object o : items) {
                if (!first) out.append(pretty && flat ? ", " : ",");
                first = false;
                if (!flat) newline(indent + 1);
                value(o, indent + 1);
            }
            if (!flat) newline(indent);
            out.append(']');
        }

        private void newline(int indent) {
            if (pretty) out.append('\n').append("  ".repeat(indent));
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                        else out.append(c);
                    }
                }
            }
            out.append('"');
        }
    }
}
