package ser.dsp;

import ser.SerException;
import ser.config.ConfigNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** YAML text to {@link MelConfig}: every key required, no unknown keys, each value checked for its type. */
final class MelConfigYaml {

    static final List<String> KEYS = List.of("sample_rate", "n_fft", "win_length", "hop_length", "n_mels", "f_min",
            "f_max", "power", "mel_scale", "norm", "top_db", "center", "pad_mode");

    private MelConfigYaml() {}

    static MelConfig parse(String text, Path origin) {
        Map<?, ?> map = readMap(text, origin);
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw SerException.inFile(origin, "unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        for (String key : KEYS) {
            if (!map.containsKey(key)) throw SerException.inFile(origin, "missing key '" + key + "'");
        }
        try {
            int sampleRate = integer(map, "sample_rate");
            Object fMax = map.get("f_max");
            return new MelConfig(sampleRate, integer(map, "n_fft"), integer(map, "win_length"),
                    integer(map, "hop_length"), integer(map, "n_mels"), number(map, "f_min"),
                    // torchaudio's f_max=None means the Nyquist frequency.
                    fMax == null ? sampleRate / 2.0 : number(map, "f_max"),
                    number(map, "power"), string(map, "mel_scale"), nullableString(map, "norm"),
                    map.get("top_db") == null ? null : number(map, "top_db"), bool(map, "center"),
                    string(map, "pad_mode"));
        } catch (IllegalArgumentException e) {
            throw SerException.inFile(origin, e.getMessage());
        }
    }

    private static Map<?, ?> readMap(String text, Path origin) {
        Object doc = ConfigNode.readYaml(text, origin);
        if (doc instanceof Map<?, ?> map) return map;
        String found = doc == null ? "an empty document" : doc instanceof List<?> ? "a list" : "the value " + SerException.quote(doc);
        throw SerException.inFile(origin, "expected a mapping of mel keys, found " + found);
    }

    private static int integer(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Integer i) return i;
        throw wrongType(map, key, "an integer");
    }

    private static double number(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Number n && !(n instanceof java.math.BigInteger)) return n.doubleValue();
        throw wrongType(map, key, "a number");
    }

    private static boolean bool(Map<?, ?> map, String key) {
        if (map.get(key) instanceof Boolean b) return b;
        throw wrongType(map, key, "true or false");
    }

    private static String string(Map<?, ?> map, String key) {
        if (map.get(key) instanceof String s) return s;
        throw wrongType(map, key, "a word");
    }

    private static String nullableString(Map<?, ?> map, String key) {
        return map.get(key) == null ? null : string(map, key);
    }

    private static IllegalArgumentException wrongType(Map<?, ?> map, String key, String expected) {
        return new IllegalArgumentException(key + " must be " + expected + ", got " + SerException.quote(map.get(key)));
    }
}
