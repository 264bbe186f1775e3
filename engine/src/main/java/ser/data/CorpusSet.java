package ser.data;

import ser.SerException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The corpora of one run: one or more {@code --data} arguments, each a directory or a manifest.
 *
 * <p>Every utterance keeps its corpus ({@link Utterance#corpus}). With more than one corpus, speaker ids are
 * prefixed with the corpus id ({@code emovo-16k/f1}), so that two corpora that both number their actors from 01
 * do not merge different people into one speaker of a speaker-independent split. Labels are the canonical
 * emotion codes of {@link Emotion}, which is how each corpus' own labels map onto the run's label set.
 */
public record CorpusSet(List<Corpus> corpora) {

    public CorpusSet {
        corpora = List.copyOf(corpora);
        if (corpora.isEmpty()) throw new SerException("no corpus given (a directory or a CSV manifest)");
        Set<String> ids = new HashSet<>();
        for (Corpus c : corpora) {
            if (!ids.add(c.id())) {
                throw SerException.inFile(c.root(), "is a second corpus called '" + c.id() + "' (corpora are told "
                        + "apart by their folder's name; rename one folder)");
            }
        }
    }

    public static CorpusSet open(List<Path> data) {
        List<Corpus> corpora = new ArrayList<>();
        for (Path p : data) corpora.add(Corpora.open(p));
        return new CorpusSet(corpora);
    }

    public static CorpusSet of(Corpus corpus) {
        return new CorpusSet(List.of(corpus));
    }

    public boolean single() {
        return corpora.size() == 1;
    }

    /** Every corpus' utterances, in the order the corpora were given; speakers qualified when there are several. */
    public List<Utterance> utterances() {
        List<Utterance> all = new ArrayList<>();
        for (Corpus c : corpora) {
            for (Utterance u : c.utterances()) {
                all.add(single() || u.speaker() == null ? u : u.withSpeaker(c.id() + "/" + u.speaker()));
            }
        }
        return all;
    }

    public List<Corpus.Skipped> skipped() {
        return corpora.stream().flatMap(c -> c.skipped().stream()).toList();
    }

    /** "RAVDESS" or "RAVDESS (ravdess-16k) + CSV manifest (emovo-16k)". */
    public String name() {
        if (single()) return corpora.getFirst().name();
        return corpora.stream().map(c -> c.name() + " (" + c.id() + ")").collect(Collectors.joining(" + "));
    }

    /** The corpus called {@code id}, or null. */
    public Corpus byId(String id) {
        for (Corpus c : corpora) if (c.id().equals(id)) return c;
        return null;
    }
}
