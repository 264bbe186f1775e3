package ser.run;

import ser.SerException;
import ser.data.Split;
import ser.data.Utterance;
import ser.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code data.json}: which corpora a run trained on and which files went to each part, so that {@code --resume}
 * and {@code ser evaluate --split test} need no {@code --data} and see the very same test files.
 *
 * <p>One corpus is written as {@code "data": "/abs/corpus"} with part paths relative to its root, as before
 * several corpora existed; several as {@code "data": [...]} with part paths {@code "<corpus id>:<relative>"}.
 *
 * @param data  the corpus directories or manifests, in the order given
 * @param split null at the top of a k-fold run (each fold directory has its own)
 */
public record DataRecord(List<Path> data, String corpus, Split split) {

    public DataRecord {
        data = List.copyOf(data);
    }

    public void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data.size() == 1 ? data.getFirst().toString() : data.stream().map(Path::toString).toList());
        json.put("corpus", corpus);
        if (split != null) {
            json.put("split", split.name());
            json.put("train", paths(data, split.train()));
            json.put("val", paths(data, split.val()));
            json.put("test", paths(data, split.test()));
        }
        Json.writeFile(file, json);
    }

    public static DataRecord read(Path file) {
        Object json = Json.read(file);
        if (json instanceof Map<?, ?> m) {
            if (m.get("data") instanceof String one) return new DataRecord(List.of(Path.of(one)), String.valueOf(m.get("corpus")), null);
            if (m.get("data") instanceof List<?> many && !many.isEmpty() && many.stream().allMatch(String.class::isInstance)) {
                return new DataRecord(many.stream().map(o -> Path.of((String) o)).toList(), String.valueOf(m.get("corpus")), null);
            }
        }
        throw SerException.inFile(file, "expected {\"data\": \"corpus\" or [\"corpus\", ...], \"corpus\": ...}");
    }

    /**
     * The files of one part ("train", "val" or "test"), as written, or null when the record has no split.
     */
    public static List<String> part(Path file, String part) {
        if (!(Json.read(file) instanceof Map<?, ?> m) || !(m.get(part) instanceof List<?> list)) return null;
        List<String> out = new ArrayList<>();
        for (Object o : list) out.add(String.valueOf(o));
        return out;
    }

    /**
     * Refuses to resume on a split other than the one the run started with (files added to or removed from the
     * corpus since): the resumed epochs would train on other data, and the result would not be the run's.
     */
    public static void requireSameSplit(Path file, List<Path> data, Split split) {
        for (String part : List.of("train", "val", "test")) {
            List<String> recorded = part(file, part);
            List<Utterance> now = switch (part) {
                case "train" -> split.train();
                case "val" -> split.val();
                default -> split.test();
            };
            if (recorded != null && !recorded.equals(paths(data, now))) {
                throw SerException.inFile(data.getFirst(), "no longer gives the " + part + " files recorded in " + file
                        + " (" + recorded.size() + " then, " + now.size() + " now); resume with the corpus the run started on");
            }
        }
    }

    /** {@code file} relative to the corpus root {@code data} (a directory, or a manifest's directory), with '/'. */
    public static String relative(Path data, Path file) {
        return root(data).relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * How a part lists {@code u}: relative to its corpus' root, prefixed with the corpus id when there are several
     * corpora.
     */
    public static String name(List<Path> data, Utterance u) {
        if (data.size() == 1) return relative(data.getFirst(), u.path());
        Path file = u.path().toAbsolutePath().normalize();
        for (Path d : data) {
            Path root = root(d);
            if (file.startsWith(root) && (u.corpus() == null || u.corpus().equals(String.valueOf(root.getFileName())))) {
                return root.getFileName() + ":" + root.relativize(file).toString().replace('\\', '/');
            }
        }
        return file.toString();
    }

    private static Path root(Path data) {
        Path root = data.toAbsolutePath().normalize();
        if (!Files.isDirectory(root) && root.getParent() != null) root = root.getParent();
        return root;
    }

    private static List<String> paths(List<Path> data, List<Utterance> part) {
        return part.stream().map(u -> name(data, u)).toList();
    }
}
