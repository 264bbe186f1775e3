package ser.config;

import ser.RegularFiles;
import ser.SerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A config file that another one refers to ({@code model: models/mel-cnn-seed.yaml}), found next to the
 * referring file first and then among the configs built into the jar, so that the shipped recipes work from any
 * directory while a user's own file next to their config wins.
 *
 * @param origin where the text came from, for error messages: the file, or {@code config/...} for a built-in
 * @param text   its content
 */
public record ConfigText(Path origin, String text) {

    /** The built-in configs: the repository's {@code config/} directory, packed into the jar under that name. */
    static final String EMBEDDED = "config/";

    /** Resolves {@code node.string(key)}, relative to the directory of {@code node}'s file. */
    public static ConfigText resolve(ConfigNode node, String key) {
        String ref = node.string(key);
        Path base = node.file().toAbsolutePath().getParent();
        Path onDisk = base == null ? Path.of(ref) : base.resolve(ref);
        if (Files.isRegularFile(onDisk)) return read(onDisk);
        ConfigText embedded = embedded(ref);
        if (embedded != null) return embedded;
        throw node.error(key, "names '" + ref + "', which is neither a file next to " + node.file().getFileName()
                + " nor a built-in config");
    }

    /** A built-in config such as {@code models/mel-cnn-seed.yaml}, or null when there is none of that name. */
    public static ConfigText embedded(String ref) {
        String name = EMBEDDED + ref.replace('\\', '/');
        // Through the class, not its loader: in a named module the loader would not hand out the module's own resources.
        try (InputStream in = ConfigText.class.getResourceAsStream("/" + name)) {
            return in == null ? null : new ConfigText(Path.of(name), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SerException(name + ": cannot read the built-in copy (" + e.getMessage() + ")", e);
        }
    }

    public static ConfigText read(Path file) {
        try {
            RegularFiles.checkBeforeOpening(file);
            return new ConfigText(file, Files.readString(file));
        } catch (IOException e) {
            throw SerException.inFile(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }
}
