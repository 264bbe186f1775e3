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
 * @param corpus    which corpus the recording comes from: the name of its data folder ("ravdess-16k",
 *                  "emovo-16k"), or null when not known; what per-corpus batches and scores group by
 */
public record Utterance(Path path, String label, String speaker, Gender gender, String sentence, String intensity,
                        String corpus) {

    public enum Gender { FEMALE, MALE, UNKNOWN }

    public Utterance {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(gender, "gender");
    }

    /** An utterance of a corpus not yet named (a file-name scheme names it afterwards, see {@link #withCorpus}). */
    public Utterance(Path path, String label, String speaker, Gender gender, String sentence, String intensity) {
        this(path, label, speaker, gender, sentence, intensity, null);
    }

    public Utterance withLabel(String newLabel) {
        return new Utterance(path, newLabel, speaker, gender, sentence, intensity, corpus);
    }

    public Utterance withCorpus(String newCorpus) {
        return new Utterance(path, label, speaker, gender, sentence, intensity, newCorpus);
    }

    public Utterance withSpeaker(String newSpeaker) {
        return new Utterance(path, label, newSpeaker, gender, sentence, intensity, corpus);
    }
}
