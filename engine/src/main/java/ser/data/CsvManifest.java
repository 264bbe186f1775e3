package ser.data;

import ser.SerException;
import ser.data.Utterance.Gender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A corpus listed in a CSV file: {@code path,label[,speaker]}, paths relative to the CSV's directory.
 *
 * <p>The header is optional. Without one the columns are positional. With one (its first field is
 * {@code path} or {@code file}) the columns are found by name, so that richer manifests such as RAVDESS'
 * {@code path,actor,gender,emotion,...} read as they are: the label is {@code label} or {@code emotion}, the
 * speaker {@code speaker} or {@code actor}, the gender {@code gender} or {@code sex}. Labels become canonical
 * codes where they are known emotion names ({@link Emotion#canonical}). Blank lines and {@code #} comments
 * are ignored; listed files that do not exist are skipped, not fatal.
 */
final class CsvManifest {

    private static final Set<String> PATH = Set.of("path", "file", "filename", "file_path", "filepath", "wav", "audio");
    private static final Set<String> LABEL = Set.of("label", "emotion", "class");
    private static final Set<String> SPEAKER = Set.of("speaker", "actor", "speaker_id", "spk");
    private static final Set<String> GENDER = Set.of("gender", "sex");

    private CsvManifest() {}

    static Corpus read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SerException.inFile(csv, "cannot read (" + e.getMessage() + ")", e);
        }
        Path root = csv.toAbsolutePath().getParent();
        List<Utterance> utterances = new ArrayList<>();
        List<Corpus.Skipped> skipped = new ArrayList<>();
        Columns columns = null;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> fields = Csv.fields(n == 1 ? line.replace("\uFEFF", "") : line);
            if (columns == null) {
                columns = Columns.of(csv, fields);
                if (columns.fromHeader) continue;
            }
            if (fields.size() < columns.needed) {
                throw new SerException(csv + ":" + n + ": expected " + columns.needed + " fields ("
                        + columns.describe + "), got " + fields.size());
            }
            Path file = root.resolve(fields.get(columns.path)).normalize();
            String label = fields.get(columns.label);
            if (label.isEmpty()) {
                skipped.add(new Corpus.Skipped(file, csv.getFileName() + ":" + n + ": empty label"));
            } else if (!Files.isRegularFile(file)) {
                skipped.add(new Corpus.Skipped(file, csv.getFileName() + ":" + n + ": no such file"));
            } else {
                String speaker = optional(fields, columns.speaker);
                Gender gender = gender(optional(fields, columns.gender));
                utterances.add(new Utterance(file, Emotion.canonical(label), speaker, gender, null, null));
            }
        }
        return new Corpus("CSV manifest", root, utterances, skipped);
    }

    /** The field at {@code index}, or null when the column is absent from the file or this row, or empty. */
    private static String optional(List<String> fields, int index) {
        return index < 0 || index >= fields.size() || fields.get(index).isEmpty() ? null : fields.get(index);
    }

    private static Gender gender(String s) {
        if (s == null) return Gender.UNKNOWN;
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f", "female", "w", "woman" -> Gender.FEMALE;
            case "m", "male", "man" -> Gender.MALE;
            default -> Gender.UNKNOWN;
        };
    }

    /** Where each field sits, and how many fields a row needs. */
    private record Columns(boolean fromHeader, int path, int label, int speaker, int gender, int needed, String describe) {

        static Columns of(Path csv, List<String> first) {
            String head = first.getFirst().toLowerCase(Locale.ROOT);
            if (!PATH.contains(head)) {
                return new Columns(false, 0, 1, 2, -1, 2, "path,label[,speaker]");
            }
            int label = find(first, LABEL);
            if (label < 0) {
                throw SerException.inFile(csv, "the header " + String.join(",", first)
                        + " has no label column (label or emotion)");
            }
            int speaker = find(first, SPEAKER);
            int gender = find(first, GENDER);
            return new Columns(true, 0, label, speaker, gender, label + 1, String.join(",", first));
        }

        private static int find(List<String> header, Set<String> names) {
            for (int i = 0; i < header.size(); i++) {
                if (names.contains(header.get(i).toLowerCase(Locale.ROOT))) return i;
            }
            return -1;
        }
    }
}
