package ser.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import ser.SerException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Changes to a YAML config given beside it (the command line's {@code --set}), {@code key.path=value}, so that a
 * sweep or a protocol run varies one setting without a copy of the recipe. The value is read as YAML ({@code 30}, {@code 0.5}, {@code utterance},
 * {@code [1, 2]}, {@code {kind: speakers}}); missing mappings on the path are created. The result is checked
 * like the file itself, so an override of a key that does not exist is the usual unknown-key error.
 */
public final class ConfigOverrides {

    private ConfigOverrides() {}

    /** The YAML text with every override applied, as a node reporting errors against {@code origin}. */
    public static ConfigNode apply(String yaml, Path origin, List<String> overrides) {
        ConfigNode checked = ConfigNode.parse(yaml, origin);   // the file's own checks (duplicate keys, values)
        if (overrides.isEmpty()) return checked;
        Map<String, Object> root = mapping(load(yaml, origin), origin, "the top");
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new SerException("override " + SerException.quote(o) + ": expected KEY=VALUE, e.g. training.epochs=30");
            }
            String[] path = o.substring(0, eq).strip().split("\\.");
            Map<String, Object> at = root;
            for (int i = 0; i < path.length - 1; i++) {
                Object next = at.get(path[i]);
                if (next == null) at.put(path[i], next = new LinkedHashMap<String, Object>());
                at = mapping(next, origin, "override " + SerException.quote(o) + ": '" + path[i] + "'");
            }
            at.put(path[path.length - 1], load(o.substring(eq + 1), origin));
        }
        return ConfigNode.of(root, origin);
    }

    private static Object load(String yaml, Path origin) {
        try {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw SerException.inFile(origin, "not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object o, Path origin, String where) {
        if (o == null) return new LinkedHashMap<>();
        if (!(o instanceof Map<?, ?>)) throw SerException.inFile(origin, where + " is not a mapping of keys");
        return (Map<String, Object>) o;
    }
}
