package ser.data;

import ser.SerException;
import ser.data.Utterance.Gender;
import ser.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The table of contents of a feature directory: one row per extracted utterance, written twice, as
 * {@code index.csv} (for spreadsheets, pandas and {@link #read}) and {@code index.json} (with the data root,
 * corpus and feature config on top, for tools that prefer JSON).
 *
 * <p>CSV columns: {@code path,label,speaker,gender,sentence,intensity,npy,shape,audio_bytes,audio_modified};
 * {@code path} is relative to the data root, {@code npy} to the feature directory, {@code shape} is like
 * {@code 80x301}, the last two are the audio file's size and modification time (ISO-8601) when its features were
 * made ({@link SourceStamp}); unknown fields are empty. Indexes written before those two columns read too, without
 * stamps.
 */
public final class FeatureIndex {

    public static final String CSV = "index.csv", JSON = "index.json";
    private static final String HEADER_V1 = "path,label,speaker,gender,sentence,intensity,npy,shape";
    private static final String HEADER = HEADER_V1 + ",audio_bytes,audio_modified";

    private FeatureIndex() {}

    /** One extracted utterance: where its features are, their shape, and its audio file when they were made (or null). */
    public record Entry(Utterance utterance, Path npy, int[] shape, SourceStamp source) {

        public Entry(Utterance utterance, Path npy, int[] shape) {
            this(utterance, npy, shape, null);
        }
    }

    static void write(Path out, Path dataRoot, String corpus, String config, String configHash, List<Entry> entries) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (Entry e : entries) {
            Utterance u = e.utterance();
            csv.append(String.join(",", Csv.quote(relative(dataRoot, u.path())), Csv.quote(u.label()),
                    Csv.quote(orEmpty(u.speaker())), gender(u.gender()), Csv.quote(orEmpty(u.sentence())),
                    Csv.quote(orEmpty(u.intensity())), Csv.quote(relative(out, e.npy())), shape(e.shape()),
                    e.source() == null ? "" : Long.toString(e.source().bytes()),
                    e.source() == null ? "" : e.source().modified().toString())).append('\n');
        }
        AtomicFiles.writeString(out.resolve(CSV), csv.toString());

        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"data\": ").append(quote(dataRoot.toString())).append(",\n");
        json.append("  \"corpus\": ").append(quote(corpus)).append(",\n");
        json.append("  \"config\": ").append(quote(config)).append(",\n");
        json.append("  \"configHash\": ").append(quote(configHash)).append(",\n");
        json.append("  \"items\": [");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Utterance u = e.utterance();
            json.append(i == 0 ? "\n" : ",\n").append("    {\"path\": ").append(quote(relative(dataRoot, u.path())))
                    .append(", \"label\": ").append(quote(u.label()))
                    .append(", \"speaker\": ").append(quote(u.speaker()))
                    .append(", \"gender\": ").append(quote(u.gender() == Gender.UNKNOWN ? null : gender(u.gender())))
                    .append(", \"npy\": ").append(quote(relative(out, e.npy())))
                    .append(", \"shape\": ").append(Arrays.toString(e.shape())).append('}');
        }
        json.append(entries.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
        AtomicFiles.writeString(out.resolve(JSON), json.toString());
    }

    /**
     * The entries of {@code featureDir/index.csv}, with absolute audio paths under {@code dataRoot} and the corpus
     * id that {@link Corpus} gives utterances under it, so that they read back as they were written.
     */
    public static List<Entry> read(Path featureDir, Path dataRoot) {
        Path csv = featureDir.resolve(CSV);
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw SerException.inFile(csv, "cannot read (" + e.getMessage() + ")", e);
        }
        if (lines.isEmpty() || !(lines.getFirst().equals(HEADER) || lines.getFirst().equals(HEADER_V1))) {
            throw SerException.inFile(csv, "not a feature index (expected the header " + HEADER + ")");
        }
        int fields = lines.getFirst().split(",").length;
        String corpus = Corpus.id(dataRoot);
        List<Entry> entries = new ArrayList<>();
        for (int n = 2; n <= lines.size(); n++) {
            List<String> f = Csv.fields(lines.get(n - 1));
            if (f.size() != fields) throw new SerException(csv + ":" + n + ": expected " + fields + " fields, got " + f.size());
            Utterance u = new Utterance(dataRoot.resolve(f.get(0)), f.get(1), emptyToNull(f.get(2)),
                    parseGender(csv, n, f.get(3)), emptyToNull(f.get(4)), emptyToNull(f.get(5)), corpus);
            SourceStamp source = fields > 8 ? parseSource(csv, n, f.get(8), f.get(9)) : null;
            entries.add(new Entry(u, featureDir.resolve(f.get(6)), parseShape(csv, n, f.get(7)), source));
        }
        return entries;
    }

    static String shape(int[] shape) {
        return Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining("x"));
    }

    private static int[] parseShape(Path csv, int line, String s) {
        try {
            return s.isEmpty() ? new int[0] : Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new SerException(csv + ":" + line + ": bad shape '" + s + "'");
        }
    }

    private static SourceStamp parseSource(Path csv, int line, String bytes, String modified) {
        if (bytes.isEmpty() && modified.isEmpty()) return null;
        try {
            return new SourceStamp(Long.parseLong(bytes), java.time.Instant.parse(modified));
        } catch (RuntimeException e) {
            throw new SerException(csv + ":" + line + ": bad audio_bytes / audio_modified '" + bytes + "', '" + modified + "'");
        }
    }

    /** {@code file} relative to {@code root} with forward slashes, so the index reads the same on every OS. */
    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static String gender(Gender g) {
        return g == Gender.UNKNOWN ? "" : g.name().toLowerCase(Locale.ROOT);
    }

    private static Gender parseGender(Path csv, int line, String s) {
        return switch (s) {
            case "" -> Gender.UNKNOWN;
            case "female" -> Gender.FEMALE;
            case "male" -> Gender.MALE;
            default -> throw new SerException(csv + ":" + line + ": bad gender '" + s + "' (female, male or empty)");
        };
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** A JSON string literal, or {@code null}. */
    static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append("\\u%04x".formatted((int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
