package ser.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The labelled utterances found under a data directory or in a manifest.
 *
 * @param name    which corpus ("RAVDESS", "CSV manifest")
 * @param root    the directory relative paths are taken against (the data directory, or the CSV's directory)
 * @param skipped audio files that were seen but could not be labelled, with the reason; not an error
 * <p>Every utterance carries the corpus' {@link #id}, unless it already names one.
 */
public record Corpus(String name, Path root, List<Utterance> utterances, List<Skipped> skipped) {

    public Corpus {
        String id = id(root);
        utterances = utterances.stream().map(u -> u.corpus() == null ? u.withCorpus(id) : u).toList();
        skipped = List.copyOf(skipped);
    }

    /** The corpus' short name: its data folder's name ("ravdess-16k"), a manifest's folder for a manifest. */
    public String id() {
        return id(root);
    }

    /** The id of a corpus rooted at {@code root}; also what a feature index read back under that root carries. */
    static String id(Path root) {
        Path name = root == null ? null : root.toAbsolutePath().normalize().getFileName();
        return name == null ? "corpus" : name.toString();
    }

    public record Skipped(Path file, String reason) {}
}
