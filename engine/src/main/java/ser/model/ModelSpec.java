package ser.model;

import ser.SerException;
import ser.config.ConfigNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An architecture read from YAML: a description and an ordered list of layers ({@link LayerSpec}), e.g.
 * {@code config/models/mel-cnn-seed.yaml}. Sizes that follow from the input (a linear layer's inputs, a batch
 * norm's channels) are not written down; {@link ModelBuilder} works them out from the feature shape.
 *
 * @param source the file it came from (named in errors)
 * @param yaml   the text, kept so that a run directory stores the architecture it used
 */
public record ModelSpec(Path source, String yaml, String description, List<LayerSpec> layers) {

    public static ModelSpec load(Path file) {
        try {
            return parse(Files.readString(file), file);
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    public static ModelSpec parse(String yaml, Path origin) {
        ConfigNode root = ConfigNode.parse(yaml, origin);
        String description = root.string("description", "");
        if (!(root.raw("layers") instanceof List<?> entries) || entries.isEmpty()) {
            throw SerException.inFile(origin, "needs a non-empty 'layers:' list");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) layers.add(LayerSpec.parse(root, i, entries.get(i)));
        // Unknown keys inside a layer surface when the builder reads it; the top level is checked now.
        for (String key : root.keys()) {
            if (!key.equals("description") && !key.equals("layers")) {
                throw SerException.inFile(origin, "unknown key '" + key + "' (known here: description, layers)");
            }
        }
        return new ModelSpec(origin, yaml, description, List.copyOf(layers));
    }
}
