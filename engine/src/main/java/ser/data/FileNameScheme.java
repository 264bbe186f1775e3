package ser.data;

import java.nio.file.Path;
import java.util.Optional;

/** A corpus whose labels are spelled out in its file names. */
interface FileNameScheme {

    /** The audio extensions a directory scan collects, in any case, as the end of a file-name pattern. */
    String AUDIO_EXTENSION = "\\.(?i:wav|aif|aiff|aifc)";

    /** The corpus' name, as users know it ("CREMA-D"). */
    String name();

    /** The utterance this file's name describes, or empty when the name does not follow the scheme. */
    Optional<Utterance> parse(Path file);
}
