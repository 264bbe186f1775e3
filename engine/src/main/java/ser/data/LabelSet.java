package ser.data;

import ser.SerException;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The classes a model is trained on, in class-index order, and the rule for which utterances take part.
 *
 * <ul>
 *   <li>{@code seed4}: the seed recipe's four classes NEU, HAP, SAD, ANG; every other emotion is dropped.</li>
 *   <li>{@code all}: every label the corpus has, canonical emotions first in {@link Emotion} order
 *       (NEU, CAL, HAP, SAD, ANG, FEA, DIS, SUR, BOR), then any other labels of a CSV manifest alphabetically.</li>
 * </ul>
 */
public final class LabelSet {

    public static final List<String> SEED4 = List.of("NEU", "HAP", "SAD", "ANG");
    public static final List<String> NAMES = List.of("seed4", "all");

    private final String name;
    private final List<String> classes;

    private LabelSet(String name, List<String> classes) {
        this.name = name;
        this.classes = List.copyOf(classes);
    }

    public static LabelSet seed4() {
        return new LabelSet("seed4", SEED4);
    }

    /** The label set called {@code name} ("seed4" or "all") over {@code corpus}. */
    public static LabelSet named(String name, Collection<Utterance> corpus) {
        return switch (name) {
            case "seed4" -> seed4();
            case "all" -> new LabelSet("all", corpus.stream().map(Utterance::label).distinct()
                    .sorted(Comparator.comparingInt(Emotion::order).thenComparing(Comparator.naturalOrder()))
                    .toList());
            default -> throw new SerException("unknown label set '" + name + "' (choose one of " + NAMES + ")");
        };
    }

    public String name() {
        return name;
    }

    public List<String> classes() {
        return classes;
    }

    /** The class index of {@code label}, or -1 when this set drops it. */
    public int indexOf(String label) {
        return classes.indexOf(label);
    }

    /** The utterances whose label is one of the classes, in their order. */
    public List<Utterance> keep(Collection<Utterance> utterances) {
        return utterances.stream().filter(u -> classes.contains(u.label())).toList();
    }

    @Override
    public String toString() {
        return name + " " + classes;
    }
}
