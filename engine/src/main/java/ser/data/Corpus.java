package ser.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The labelled utterances found under a data directory or in a manifest.
 *
 * @param name    which corpus ("RAVDESS", "CSV manifest")
 * @param root    the directory relative paths are taken against (the data directory, or the CSV's directory)
 * @param skipped audio files that were seen but could not be labelled, with the reason; not an error
 */
public record Corpus(String name, Path root, List<Utterance> utterances, List<Skipped> skipped) {

    public Corpus {
        utterances = List.copyOf(utterances);
        skipped = List.copyOf(skipped);
    }

    public record Skipped(Path file, String reason) {}
}
