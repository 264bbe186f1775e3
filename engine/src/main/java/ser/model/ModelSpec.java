package ser.model;

import ser.RegularFiles;
import ser.SerException;
import ser.config.ConfigNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An architecture read from YAML, e.g. {@code config/models/mel-cnn-seed.yaml}. Sizes that follow from the input
 * (a linear layer's inputs, a batch norm's channels) are not written down; {@link ModelBuilder} works them out
 * from the feature shapes.
 *
 * <p>A model of one input is a list of layers. A model of several named inputs (a recipe's {@code features:}
 * names them) has one branch of layers per input, a fusion of the branches' vectors, and then the layers of the
 * head:
 * <pre>
 * branches:
 *   mel: [conv_block: 32, ..., attentive_stats_pool]
 *   hubert: [layer_weighted_sum, linear: 256, relu]
 * fusion: concat                  # or gated: {dim: 256}
 * layers: [dropout: 0.2, linear: classes]
 * </pre>
 *
 * @param source   the file it came from (named in errors)
 * @param yaml     the text, kept so that a run directory stores the architecture it used
 * @param branches per input name, its layers, in file order; empty for a model of one input
 * @param fusion   how the branches' vectors become one; null for a model of one input
 * @param layers   the layers after the fusion, or all of them for a model of one input
 */
public record ModelSpec(Path source, String yaml, String description, Map<String, List<LayerSpec>> branches,
                        LayerSpec fusion, List<LayerSpec> layers) {

    /** The name of the input of a model without branches. */
    public static final String SINGLE_INPUT = "input";

    private static final Set<String> KEYS = Set.of("description", "branches", "fusion", "layers");

    public static ModelSpec load(Path file) {
        try {
            RegularFiles.checkBeforeOpening(file);
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static ModelSpec parse(String yaml, Path origin) {
        ConfigNode root = ConfigNode.parse(yaml, origin);
        String description = root.string("description", "");
        List<LayerSpec> layers = layerList(root, "layers", root.raw("layers"), origin);
        Map<String, List<LayerSpec>> branches = new LinkedHashMap<>();
        Object rawBranches = root.raw("branches");
        if (rawBranches != null) {
            if (!(rawBranches instanceof Map<?, ?> map) || map.size() < 2) {
                throw SerException.inFile(origin, "'branches:' must map two or more input names to their layer lists");
            }
            for (var e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                    throw SerException.inFile(origin, "branch name '" + name + "' must be a word (letters, digits, _)");
                }
                branches.put(name, layerList(root, "branches." + name, e.getValue(), origin));
            }
        }
        Object rawFusion = root.raw("fusion");
        if ((rawFusion == null) != branches.isEmpty()) {
            throw SerException.inFile(origin, branches.isEmpty() ? "'fusion:' needs 'branches:' to fuse"
                    : "has 'branches:' but no 'fusion:' (concat, or gated: {dim: N})");
        }
        LayerSpec fusion = rawFusion == null ? null : LayerSpec.parseFusion(root, rawFusion);
        // Unknown keys inside a layer surface when the builder reads it; the top level is checked now.
        for (String key : root.keys()) {
            if (!KEYS.contains(key)) {
                throw SerException.inFile(origin, "unknown key '" + key + "' (known here: description, branches, fusion, layers)");
            }
        }
        return new ModelSpec(origin, yaml, description, branches, fusion, layers);
    }

    public ModelSpec {
        branches = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(branches));
        layers = List.copyOf(layers);
    }

    /** The names of the inputs the model reads, in file order. */
    public List<String> inputs() {
        return branches.isEmpty() ? List.of(SINGLE_INPUT) : List.copyOf(branches.keySet());
    }

    private static List<LayerSpec> layerList(ConfigNode root, String where, Object raw, Path origin) {
        if (!(raw instanceof List<?> entries) || entries.isEmpty()) {
            throw SerException.inFile(origin, "needs a non-empty '" + where + ":' list");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) layers.add(LayerSpec.parse(root, where, i, entries.get(i)));
        return layers;
    }
}
