package ser.run;

import ser.SerException;
import ser.io.AtomicFiles;
import ser.io.Json;
import ser.io.LogFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files of one training run:
 * <pre>
 * config.yaml, model.yaml, mel.yaml   the recipe as used (TrainConfig.writeTo)
 * labels.json                         {"labels": [...]}: class index → label
 * data.json                           the corpus and which files went to train, val and test
 * metrics.jsonl                       one EpochRecord per line
 * train.log                           what happened, with times
 * checkpoints/best.safetensors        the weights of the best validation epoch (PyTorch names)
 * checkpoints/last.safetensors        weights, optimiser and trainer state after the last completed step
 * curves.png, test/                   written when training ends
 * </pre>
 */
public record RunDirectory(Path root) {

    public Path config() { return root.resolve(TrainConfig.CONFIG); }

    public Path labels() { return root.resolve("labels.json"); }

    public Path data() { return root.resolve("data.json"); }

    public Path metrics() { return root.resolve("metrics.jsonl"); }

    public Path log() { return root.resolve("train.log"); }

    public Path best() { return root.resolve("checkpoints/best.safetensors"); }

    public Path last() { return root.resolve("checkpoints/last.safetensors"); }

    public Path curves() { return root.resolve("curves.png"); }

    public boolean exists() {
        return Files.isRegularFile(config());
    }

    /** Refuses a directory that already holds a run, so that a typo in the output directory destroys nothing. */
    public void requireFresh() {
        if (exists()) throw new HoldsRun(root);
    }

    /**
     * Checks that this directory holds a run to resume: its config.yaml, written last of the files a run starts
     * with, is there.
     */
    public void requireResumable() {
        if (exists()) return;
        // Killed before config.yaml: nothing trained yet.
        if (Files.isDirectory(root)) throw new NotStarted(root);
        throw SerException.inFile(root, "is not a run directory to resume (no " + TrainConfig.CONFIG + ")");
    }

    /** The directory already holds a run: a new one would overwrite it. */
    public static final class HoldsRun extends SerException {
        private final Path dir;

        HoldsRun(Path dir) {
            super(dir + ": already holds a run; resume it, or start the new one in another directory");
            this.dir = dir;
        }

        public Path dir() { return dir; }
    }

    /** The directory is there, but its run stopped before its config.yaml was written: nothing to resume. */
    public static final class NotStarted extends SerException {
        private final Path dir;

        NotStarted(Path dir) {
            super(dir + ": holds no run to resume (stopped before its " + TrainConfig.CONFIG + " was written); "
                    + "start the run again in it");
            this.dir = dir;
        }

        public Path dir() { return dir; }
    }

    /** Checks that this is a run directory with a trained or imported model, before any work. */
    public RunDirectory requireModel() {
        if (!exists()) throw SerException.inFile(root, "is not a run directory (no " + TrainConfig.CONFIG + ")");
        if (!Files.isRegularFile(best())) throw SerException.inFile(root, "has no checkpoints/best.safetensors yet");
        return this;
    }

    public void writeLabels(List<String> labels) {
        Json.writeFile(labels(), Map.of("labels", labels));
    }

    public List<String> readLabels() {
        if (Json.read(labels()) instanceof Map<?, ?> m && m.get("labels") instanceof List<?> list && !list.isEmpty()) {
            List<String> out = new ArrayList<>();
            for (Object o : list) out.add(String.valueOf(o));
            return out;
        }
        throw SerException.inFile(labels(), "expected {\"labels\": [\"NEU\", ...]}");
    }

    /** Rewrites metrics.jsonl from the history, so that a resumed run never repeats or loses a line. */
    public void writeMetrics(List<EpochRecord> history) {
        StringBuilder text = new StringBuilder();
        for (EpochRecord r : history) text.append(Json.write(r.toJson())).append('\n');
        AtomicFiles.writeString(metrics(), text.toString());
    }

    public List<EpochRecord> readMetrics() {
        if (!Files.isRegularFile(metrics())) return List.of();
        List<EpochRecord> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(metrics(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(EpochRecord.fromJson((Map<?, ?>) Json.parse(line)));
            }
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw SerException.inFile(metrics(), "unreadable (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** Appends a time-stamped line to train.log (an append, not atomic: a log may end mid-line after a kill). */
    public void log(String line) {
        String stamped = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "  " + line + "\n";
        LogFiles.append(log(), stamped);
    }
}
