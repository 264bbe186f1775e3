package ser.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A partition of a corpus into training, validation and test utterances. */
public record Split(String name, List<Utterance> train, List<Utterance> val, List<Utterance> test) {

    public Split {
        train = List.copyOf(train);
        val = List.copyOf(val);
        test = List.copyOf(test);
    }

    /** One line: sizes, label counts and speaker counts of each part, e.g. for a run log. */
    public String summary() {
        return name + ": train " + describe(train) + "; val " + describe(val) + "; test " + describe(test);
    }

    private static String describe(List<Utterance> part) {
        Map<String, Long> perLabel = part.stream()
                .collect(Collectors.groupingBy(Utterance::label, TreeMap::new, Collectors.counting()));
        long speakers = part.stream().map(Utterance::speaker).filter(Objects::nonNull).distinct().count();
        return part.size() + " " + perLabel + (speakers == 0 ? "" : ", " + speakers + (speakers == 1 ? " speaker" : " speakers"));
    }
}
