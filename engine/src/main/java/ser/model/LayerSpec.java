package ser.model;

import ser.config.ConfigNode;

import java.util.Map;

/**
 * One entry of a model's {@code layers:} list. Three spellings, all equivalent in kind:
 * <pre>
 *   - relu                                  # a layer without settings
 *   - dropout: 0.2                          # one value: the layer's main setting (here p)
 *   - conv2d: {name: conv1, out: 32, kernel: 3, padding: 1}
 * </pre>
 *
 * @param index     position in the list, from 0 (the state-dict name of an unnamed layer)
 * @param where     where it sits in the file, for errors: {@code layers[2]}, {@code branches.mel[0]}, {@code fusion}
 * @param type      the layer kind ({@code conv2d}, {@code linear}, …)
 * @param settings  the mapping form's keys; empty for the other forms
 * @param shorthand the one-value form's value, or null
 */
public record LayerSpec(int index, String where, String type, ConfigNode settings, Object shorthand) {

    /** Entry {@code index} of the list at {@code list} ({@code layers}, {@code branches.mel}). */
    static LayerSpec parse(ConfigNode model, String list, int index, Object entry) {
        return parse(model, list + "[" + index + "]", index, entry, "a layer name or a mapping of one layer name to its settings");
    }

    /** The {@code fusion:} entry, written like a layer: {@code concat}, or {@code gated: {dim: 256}}. */
    static LayerSpec parseFusion(ConfigNode model, Object entry) {
        return parse(model, "fusion", -1, entry, "a fusion name or a mapping of one fusion name to its settings");
    }

    private static LayerSpec parse(ConfigNode model, String where, int index, Object entry, String expected) {
        if (entry instanceof String type) return new LayerSpec(index, where, type, model.child(where, Map.of()), null);
        if (entry instanceof Map<?, ?> map && map.size() == 1) {
            var e = map.entrySet().iterator().next();
            String type = String.valueOf(e.getKey());
            if (e.getValue() instanceof Map<?, ?> settings) {
                return new LayerSpec(index, where, type, model.child(where + "." + type, settings), null);
            }
            return new LayerSpec(index, where, type, model.child(where + "." + type, Map.of()), e.getValue());
        }
        throw model.error(where, "must be " + expected + ", got " + ConfigNode.shown(entry));
    }

    /** The name in the state dict: the {@code name} setting (e.g. the seed's {@code conv1}) or the index. */
    public String stateName() {
        String name = settings.string("name", null);
        return name != null ? name : Integer.toString(index);
    }

    /**
     * The bound on every whole-number setting of a layer (widths, kernels, strides, pools): a model file decides
     * what is allocated, and {@code conv_block: 1000000000} must be an error, not an attempt.
     */
    public static final int MAX_SETTING = 65_536;

    /** A whole-number setting, which the one-value form gives when {@code main} is true; at most {@link #MAX_SETTING}. */
    int integer(String key, boolean main, Integer fallback) {
        int v;
        if (main && shorthand != null) {
            if (!(shorthand instanceof Integer i)) throw settings.error(key, "must be a whole number, got " + ConfigNode.shown(shorthand));
            v = i;
        } else {
            v = fallback == null ? settings.integer(key) : settings.integer(key, fallback);
        }
        if (v > MAX_SETTING) throw settings.error(key, "must be at most " + MAX_SETTING + ", got " + v);
        return v;
    }

    double number(String key, boolean main, double fallback) {
        if (main && shorthand != null) {
            if (shorthand instanceof Number v && Double.isFinite(v.doubleValue())) return v.doubleValue();
            throw settings.error(key, "must be a finite number, got " + ConfigNode.shown(shorthand));
        }
        return settings.number(key, fallback);
    }

    /** An output width: a whole number, or the word {@code classes} for the size of the label set. */
    int width(String key, int classes) {
        Object v = shorthand != null ? shorthand : settings.raw(key);
        if (v == null) throw settings.error(key, "is missing (a whole number, or 'classes')");
        if ("classes".equals(v)) return classes;
        if (v instanceof Integer w && w > 0 && w <= MAX_SETTING) return w;
        throw settings.error(key, "must be a whole number in [1, " + MAX_SETTING + "] or 'classes', got " + ConfigNode.shown(v));
    }

    @Override
    public String toString() {
        return where + " (" + type + ")";
    }
}
