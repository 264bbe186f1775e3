package ser.train;

import ser.SerException;
import ser.data.Split;
import ser.data.Utterance;
import ser.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;

/**
 * {@code data.json}: which corpus a run trained on and which files went to each part, so that {@code --resume}
 * and {@code ser evaluate --split test} need no {@code --data} and see the very same test files.
 *
 * @param split null at the top of a k-fold run (each fold directory has its own)
 */
public record DataRecord(Path data, String corpus, Split split) {

    public void write(Path file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data.toString());
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
        if (!(Json.read(file) instanceof Map<?, ?> m) || !(m.get("data") instanceof String data)) {
            throw SerException.inFile(file, "expected {\"data\": ..., \"corpus\": ...}");
        }
        return new DataRecord(Path.of(data), String.valueOf(m.get("corpus")), null);
    }

    /**
     * The files of one part ("train", "val" or "test"), relative to the data root as written, or null when the
     * record has no split.
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
    public static void requireSameSplit(Path file, Path data, Split split) {
        for (String part : List.of("train", "val", "test")) {
            List<String> recorded = part(file, part);
            List<Utterance> now = switch (part) {
                case "train" -> split.train();
                case "val" -> split.val();
                default -> split.test();
            };
            if (recorded != null && !recorded.equals(paths(data, now))) {
                throw SerException.inFile(data, "no longer gives the " + part + " files recorded in " + file
                        + " (" + recorded.size() + " then, " + now.size() + " now); resume with the corpus the run started on");
            }
        }
    }

    /** {@code file} relative to the corpus root {@code data} (a directory, or a manifest's directory), with '/'. */
    public static String relative(Path data, Path file) {
        Path root = data.toAbsolutePath().normalize();
        if (!Files.isDirectory(root) && root.getParent() != null) root = root.getParent();
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    private static List<String> paths(Path data, List<Utterance> part) {
        return part.stream().map(u -> relative(data, u.path())).toList();
    }
}
