package ser.data;

import ser.SerException;
import ser.audio.AudioReader;
import ser.data.Utterance.Gender;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the corpus behind a {@code --data} argument.
 *
 * <p>A {@code .csv} file is read as a manifest ({@link CsvManifest}). A directory is scanned recursively for
 * audio files ({@code .wav}, {@code .aif}, {@code .aiff}, {@code .aifc}, any case), and the naming scheme that the
 * most file names follow wins: CREMA-D, RAVDESS, EmoDB, EMOVO, TESS or SAVEE (on a tie, the first of these).
 * Audio files that do not follow it are returned as skipped, with the reason, so that a stray file does not stop
 * a run; other files (READMEs, manifests) are ignored.
 */
public final class Corpora {

    private Corpora() {}

    /** The corpus at {@code data}; its utterance paths are absolute and normalised, whatever {@code data} was. */
    public static Corpus open(Path data) {
        Path absolute = data.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) return scan(absolute);
        if (!Files.exists(absolute)) throw SerException.inFile(data, "no such file or directory");
        if (absolute.toString().toLowerCase(Locale.ROOT).endsWith(".csv")) return CsvManifest.read(absolute);
        throw SerException.inFile(data, "expected a directory of audio files or a .csv manifest (path,label[,speaker])");
    }

    private static Corpus scan(Path dir) {
        List<Path> audio = new ArrayList<>();
        Path demographics = null;
        // through symbolic links (linked speaker folders), with loops and dangling links listed as skipped
        FolderWalk.Result walk = FolderWalk.files(dir, p -> AudioReader.hasAudioExtension(p)
                || p.getFileName().toString().equalsIgnoreCase("VideoDemographics.csv"));
        for (Path p : walk.files()) {
            if (AudioReader.hasAudioExtension(p)) audio.add(p);
            else demographics = p;
        }
        if (audio.isEmpty()) {
            throw SerException.inFile(dir, "no audio files (" + AudioReader.extensionList() + ") in this directory or below it");
        }

        List<FileNameScheme> schemes = List.of(new CremaD(cremaDGenders(demographics)), new Ravdess(), new EmoDb(),
                new Emovo(), new Tess(), new Savee());
        FileNameScheme best = null;
        long bestCount = 0;
        for (FileNameScheme scheme : schemes) {
            long count = audio.stream().filter(p -> scheme.parse(p).isPresent()).count();
            if (count > bestCount) {
                best = scheme;
                bestCount = count;
            }
        }
        if (best == null) {
            throw SerException.inFile(dir, "none of its " + audio.size() + " audio file names follow the CREMA-D, "
                    + "RAVDESS, EmoDB, EMOVO, TESS or SAVEE patterns; for another corpus pass a CSV manifest "
                    + "(path,label[,speaker])");
        }
        List<Utterance> utterances = new ArrayList<>();
        List<Corpus.Skipped> skipped = new ArrayList<>(walk.skipped());
        for (Path file : audio) {
            Optional<Utterance> u = best.parse(file);
            if (u.isPresent()) utterances.add(u.get());
            else skipped.add(new Corpus.Skipped(file, "file name does not follow the " + best.name() + " pattern"));
        }
        return new Corpus(best.name(), dir, utterances, skipped);
    }

    /** Speaker genders from CREMA-D's {@code VideoDemographics.csv} (ActorID,Age,Sex,...), when present. */
    private static Map<String, Gender> cremaDGenders(Path csv) {
        Map<String, Gender> genders = new HashMap<>();
        if (csv == null) return genders;
        try {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) return genders;
            List<String> header = Csv.fields(lines.getFirst().replace("\uFEFF", ""));
            int id = header.indexOf("ActorID"), sex = header.indexOf("Sex");
            if (id < 0 || sex < 0) return genders;
            for (String line : lines.subList(1, lines.size())) {
                List<String> f = Csv.fields(line);
                if (f.size() <= Math.max(id, sex)) continue;
                genders.put(f.get(id), switch (f.get(sex).toLowerCase(Locale.ROOT)) {
                    case "female" -> Gender.FEMALE;
                    case "male" -> Gender.MALE;
                    default -> Gender.UNKNOWN;
                });
            }
        } catch (IOException e) {
            throw SerException.inFile(csv, "cannot read (" + e.getMessage() + ")", e);
        }
        return genders;
    }
}
