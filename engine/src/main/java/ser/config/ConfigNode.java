package ser.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import ser.RegularFiles;
import ser.SerException;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One mapping of a YAML config file, read strictly. Each accessor names the key it reads; {@link #finish} then
 * rejects any key nobody asked for, so a typo ({@code optimiser:} for {@code optimizer:}) is an error instead of
 * a silently ignored setting. Every error is one line: {@code FILE: key 'training.lr': must be a number, got 'x'}.
 *
 * <p>Keys are reported with their dotted path from the top of the file, which is also how the documentation
 * names them.
 */
public final class ConfigNode {

    private final Path file;
    private final String prefix;
    private final Map<String, Object> values;
    private final Set<String> asked = new LinkedHashSet<>();
    private final List<ConfigNode> children = new ArrayList<>();

    private ConfigNode(Path file, String prefix, Map<String, Object> values) {
        this.file = file;
        this.prefix = prefix;
        this.values = values;
    }

    /** Reads a YAML file whose top level is a mapping. */
    public static ConfigNode load(Path file) {
        try {
            RegularFiles.checkBeforeOpening(file);
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** Parses YAML text; {@code origin} is the file named in errors. */
    public static ConfigNode parse(String yaml, Path origin) {
        Object doc = readYaml(yaml, origin);
        if (doc == null) doc = Map.of();
        if (!(doc instanceof Map<?, ?> map)) throw SerException.inFile(origin, "expected a mapping of keys at the top");
        return new ConfigNode(origin, "", stringKeys(map, origin, ""));
    }

    /**
     * YAML text as plain Java values, read as every config file is: safely (no arbitrary types), and with a key
     * given twice an error naming it, since otherwise the last one wins without a word.
     */
    public static Object readYaml(String yaml, Path origin) {
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false); // else the last of two equal keys wins without a word
            doc = new Yaml(new SafeConstructor(options)).load(yaml);
        } catch (DuplicateKeyException e) {
            String problem = e.getProblem() == null ? "duplicate key" : e.getProblem().replace("found duplicate key", "duplicate key");
            throw SerException.inFile(origin, SerException.printable(problem)
                    + (e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)));
        } catch (YAMLException e) {
            throw SerException.inFile(origin, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (NumberFormatException e) {
            // SnakeYAML's resolver takes "._" for a float that Double.parseDouble then refuses (found by fuzzing)
            throw SerException.inFile(origin, "not valid YAML: a number that does not parse (" + SerException.printable(
                    String.valueOf(e.getMessage())) + ")");
        }
        return doc;
    }

    /** A node over {@code values} (e.g. built in code), reporting errors against {@code origin}. */
    public static ConfigNode of(Map<String, ?> values, Path origin) {
        return new ConfigNode(origin, "", stringKeys(values, origin, ""));
    }

    public Path file() {
        return file;
    }

    public boolean has(String key) {
        asked.add(key);
        return values.containsKey(key) && values.get(key) != null;
    }

    public Set<String> keys() {
        return values.keySet();
    }

    /** Whether {@code key} holds a nested mapping; unlike the accessors, this does not count as reading it. */
    public boolean holdsMapping(String key) {
        return values.get(key) instanceof Map<?, ?>;
    }

    /** The value as it was parsed (maps and lists of plain Java values), for copying a section elsewhere. */
    public Object raw(String key) {
        asked.add(key);
        return values.get(key);
    }

    public String string(String key) {
        return string(key, null, true);
    }

    public String string(String key, String fallback) {
        return string(key, fallback, false);
    }

    /** A word from {@code options}. */
    public String choice(String key, String fallback, List<String> options) {
        String v = string(key, fallback);
        if (v != null && !options.contains(v)) {
            throw error(key, "must be one of " + String.join(", ", options) + ", got " + SerException.quote(v));
        }
        return v;
    }

    public int integer(String key) {
        long v = whole(key, 0, true);
        if (v != (int) v) throw error(key, "is out of range: " + v);
        return (int) v;
    }

    public int integer(String key, int fallback) {
        long v = whole(key, fallback, false);
        if (v != (int) v) throw error(key, "is out of range: " + v);
        return (int) v;
    }

    /** A whole number in {@code [min, max]}: the bound is stated in the error, so a user knows what is allowed. */
    public int integer(String key, int fallback, int min, int max) {
        int v = integer(key, fallback);
        if (v < min || v > max) throw error(key, "must be in [" + min + ", " + max + "], got " + v);
        return v;
    }

    public long longValue(String key, long fallback) {
        return whole(key, fallback, false);
    }

    public double number(String key) {
        return number(key, 0, true);
    }

    public double number(String key, double fallback) {
        return number(key, fallback, false);
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) return fallback;
        if (values.get(key) instanceof Boolean b) return b;
        throw wrongType(key, "true or false");
    }

    /** A list of scalars read as strings ({@code [1, 2]} and {@code ["01", "02"]} alike). */
    public List<String> strings(String key) {
        if (!has(key)) return List.of();
        if (!(values.get(key) instanceof List<?> list)) throw wrongType(key, "a list");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map || o instanceof List || o == null) throw error(key, "must be a list of plain values");
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** A list of integers. */
    public int[] integers(String key) {
        if (!has(key)) return new int[0];
        if (!(values.get(key) instanceof List<?> list)) throw wrongType(key, "a list of integers");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Integer v)) throw error(key, "must be a list of integers, got " + shown(list.get(i)));
            out[i] = v;
        }
        return out;
    }

    /** The nested mapping under {@code key}; an empty one when absent, so defaults apply. */
    public ConfigNode node(String key) {
        Object v = has(key) ? values.get(key) : Map.of();
        if (!(v instanceof Map<?, ?> map)) throw wrongType(key, "a mapping of keys");
        return child(key, map);
    }

    /** A node for a list element or another value below this one; its keys are reported under {@code path}. */
    public ConfigNode child(String path, Map<?, ?> map) {
        ConfigNode c = new ConfigNode(file, prefix + path + ".", stringKeys(map, file, prefix + path + "."));
        children.add(c);
        return c;
    }

    /** Rejects keys nobody asked for, here and in every nested node read through this one. */
    public void finish() {
        for (String key : values.keySet()) {
            if (!asked.contains(key)) {
                throw SerException.inFile(file, "unknown key '" + prefix + key + "'"
                        + (asked.isEmpty() ? "" : " (known here: " + String.join(", ", asked) + ")"));
            }
        }
        for (ConfigNode c : children) c.finish();
    }

    /** {@code FILE: key 'a.b': problem}. */
    public SerException error(String key, String problem) {
        return SerException.inFile(file, "key '" + prefix + key + "' " + problem);
    }

    private String string(String key, String fallback, boolean required) {
        if (!has(key)) {
            if (required) throw missing(key);
            return fallback;
        }
        Object v = values.get(key);
        if (v instanceof Map || v instanceof List) throw wrongType(key, "a single value");
        return String.valueOf(v);
    }

    private long whole(String key, long fallback, boolean required) {
        if (!has(key)) {
            if (required) throw missing(key);
            return fallback;
        }
        Object v = values.get(key);
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        throw wrongType(key, "a whole number");
    }

    private double number(String key, double fallback, boolean required) {
        if (!has(key)) {
            if (required) throw missing(key);
            return fallback;
        }
        if (values.get(key) instanceof Number n && !(n instanceof BigInteger)) {
            // YAML spells NaN and infinity .nan and .inf; no setting means either, and NaN passes every range check
            if (!Double.isFinite(n.doubleValue())) throw wrongType(key, "a finite number");
            return n.doubleValue();
        }
        throw wrongType(key, "a number");
    }

    private SerException missing(String key) {
        return SerException.inFile(file, "missing key '" + prefix + key + "'");
    }

    private SerException wrongType(String key, String expected) {
        return error(key, "must be " + expected + ", got " + shown(values.get(key)));
    }

    /**
     * A value for a message: a scalar as YAML spells it, a collection only by its kind (anchors can make one
     * contain itself, and printing that would never end).
     */
    public static String shown(Object value) {
        return switch (value) {
            case Map<?, ?> m -> "a mapping";
            case List<?> l -> "a list";
            case Double d when d.isNaN() -> "'.nan'";
            case Double d when d.isInfinite() -> d > 0 ? "'.inf'" : "'-.inf'";
            case null -> "'null'";
            default -> SerException.quote(value);
        };
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, Path file, String prefix) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw SerException.inFile(file, "key '" + prefix + e.getKey() + "' must be a word");
            }
            out.put(key, e.getValue());
        }
        return out;
    }
}
