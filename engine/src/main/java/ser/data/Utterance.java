package ser.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled recording of a corpus.
 *
 * @param path      the audio file
 * @param label     the emotion, as a canonical code ({@link Emotion}) when the corpus' label is a known one
 * @param speaker   the speaker id within its corpus ("1001", "12", "03"); null when unknown (a bare CSV)
 * @param gender    the speaker's gender, when the corpus says so
 * @param sentence  the corpus' sentence or text code ("DFA", "02", "a01"); null when it has none
 * @param intensity the corpus' intensity code ("HI", "strong"); null when it has none
 */
public record Utterance(Path path, String label, String speaker, Gender gender, String sentence, String intensity) {

    public enum Gender { FEMALE, MALE, UNKNOWN }

    public Utterance {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(gender, "gender");
    }

    public Utterance withLabel(String newLabel) {
        return new Utterance(path, newLabel, speaker, gender, sentence, intensity);
    }
}
