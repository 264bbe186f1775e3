package ser.data;

import org.junit.jupiter.api.Test;
import ser.SerException;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorpusSetTest {

    private static Corpus corpus(String folder, int speakers) {
        Path root = Path.of("/data", folder);
        List<Utterance> u = new java.util.ArrayList<>();
        for (int s = 1; s <= speakers; s++) {
            for (String label : LabelSet.SEED4) {
                u.add(new Utterance(root.resolve(s + "-" + label + ".wav"), label, String.format("%02d", s),
                        s % 2 == 0 ? Utterance.Gender.FEMALE : Utterance.Gender.MALE, null, null));
            }
        }
        return new Corpus("TEST", root, u, List.of());
    }

    @Test
    void everyUtteranceKnowsItsCorpusAndSpeakersAreQualifiedOnlyWhenThereAreSeveral() {
        CorpusSet one = CorpusSet.of(corpus("a", 3));
        assertEquals(Set.of("01", "02", "03"), one.utterances().stream().map(Utterance::speaker).collect(Collectors.toSet()));
        assertTrue(one.utterances().stream().allMatch(u -> u.corpus().equals("a")));

        CorpusSet two = new CorpusSet(List.of(corpus("a", 3), corpus("b", 2)));
        assertEquals(Set.of("a/01", "a/02", "a/03", "b/01", "b/02"),
                two.utterances().stream().map(Utterance::speaker).collect(Collectors.toSet()));
        assertEquals(20, two.utterances().size());
        assertEquals("TEST (a) + TEST (b)", two.name());
    }

    @Test
    void twoCorporaWithOneNameAreRefused() {
        SerException e = assertThrows(SerException.class, () -> new CorpusSet(List.of(corpus("a", 2), corpus("a", 2))));
        assertTrue(e.getMessage().contains("second corpus called 'a'"), e.getMessage());
    }

    @Test
    void perCorpusHoldOutTakesItsSpeakersFromEachCorpus() {
        List<Utterance> all = new CorpusSet(List.of(corpus("a", 10), corpus("b", 5))).utterances();
        Split s = SpeakerSplits.holdoutPerCorpus(all, 1, 2, 42);
        for (String c : List.of("a", "b")) {
            assertEquals(2, speakers(s.test(), c).size(), c);
            assertEquals(1, speakers(s.val(), c).size(), c);
        }
        Set<String> seen = new HashSet<>(speakers(s.train(), null));
        seen.retainAll(speakers(s.test(), null));
        assertTrue(seen.isEmpty(), "no test speaker trains");
        assertEquals(s.test(), SpeakerSplits.holdoutPerCorpus(all, 1, 2, 42).test(), "seeded");
    }

    private static Set<String> speakers(List<Utterance> part, String corpus) {
        return part.stream().filter(u -> corpus == null || u.corpus().equals(corpus)).map(Utterance::speaker).collect(Collectors.toSet());
    }
}
