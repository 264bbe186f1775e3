package ser.data;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class SplitsTest {

    /** RAVDESS' seed4 shape: 20 speakers (odd male, even female), 4 NEU and 8 each of HAP, SAD, ANG per speaker. */
    static List<Utterance> ravdessLike() {
        List<Utterance> all = new ArrayList<>();
        for (int s = 1; s <= 20; s++) {
            String speaker = "%02d".formatted(s);
            Gender gender = s % 2 == 1 ? Gender.MALE : Gender.FEMALE;
            for (String label : List.of("NEU", "HAP", "SAD", "ANG")) {
                for (int i = 0; i < (label.equals("NEU") ? 4 : 8); i++) {
                    Path p = Path.of("Actor_" + speaker, label + "-" + i + ".wav");
                    all.add(new Utterance(p, label, speaker, gender, null, null));
                }
            }
        }
        return all;
    }

    private static Map<String, Long> perLabel(List<Utterance> part) {
        return part.stream().collect(Collectors.groupingBy(Utterance::label, Collectors.counting()));
    }

    private static Set<String> speakers(List<Utterance> part) {
        return part.stream().map(Utterance::speaker).collect(Collectors.toSet());
    }

    private static void assertPartition(List<Utterance> all, Split s) {
        List<Utterance> union = Stream.of(s.train(), s.val(), s.test()).flatMap(List::stream).toList();
        assertEquals(all.size(), union.size());
        assertEquals(new HashSet<>(all), new HashSet<>(union));
    }

    @Test
    void seedRecipeIs80_10_10WithinEveryLabel() {
        List<Utterance> all = ravdessLike();
        Split s = Splits.seedRecipe(all, 42);
        assertPartition(all, s);
        assertEquals(Map.of("NEU", 64L, "HAP", 128L, "SAD", 128L, "ANG", 128L), perLabel(s.train()));
        assertEquals(Map.of("NEU", 8L, "HAP", 16L, "SAD", 16L, "ANG", 16L), perLabel(s.val()));
        assertEquals(Map.of("NEU", 8L, "HAP", 16L, "SAD", 16L, "ANG", 16L), perLabel(s.test()));
    }

    @Test
    void stratifiedSplitsAreDeterministicWhateverTheListingOrder() {
        List<Utterance> all = ravdessLike();
        List<Utterance> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(7));
        assertEquals(Splits.seedRecipe(all, 42), Splits.seedRecipe(shuffled, 42));
        assertNotEquals(Splits.seedRecipe(all, 42).test(), Splits.seedRecipe(all, 43).test());
    }

    @Test
    void aLabelsSplitDoesNotDependOnTheOtherLabels() {
        List<Utterance> all = ravdessLike();
        List<Utterance> neutralOnly = all.stream().filter(u -> u.label().equals("NEU")).toList();
        Split whole = Splits.stratified(all, 0.1, 0.2, 5);
        Split neu = Splits.stratified(neutralOnly, 0.1, 0.2, 5);
        assertEquals(neu.test(), whole.test().stream().filter(u -> u.label().equals("NEU")).toList());
        assertEquals(neu.val(), whole.val().stream().filter(u -> u.label().equals("NEU")).toList());
    }

    @Test
    void tinyClassesAndBadFractions() {
        List<Utterance> three = ravdessLike().subList(0, 3);
        Split s = Splits.stratified(three, 0.1, 0.1, 1);
        assertEquals(3, s.train().size(), "round(0.3) = 0: too few to hold any out");
        assertThrows(SerException.class, () -> Splits.stratified(three, 0.5, 0.5, 1));
        assertThrows(SerException.class, () -> Splits.stratified(three, -0.1, 0.1, 1));
    }

    @Test
    void seededSpeakerHoldOutKeepsSpeakersApartAndBalancesGender() {
        List<Utterance> all = ravdessLike();
        Split s = SpeakerSplits.holdout(all, 2, 4, 11);
        assertPartition(all, s);
        Set<String> train = speakers(s.train()), val = speakers(s.val()), test = speakers(s.test());
        assertEquals(14, train.size());
        assertEquals(2, val.size());
        assertEquals(4, test.size());
        assertDisjoint(train, val, test);
        assertEquals(2, test.stream().filter(sp -> Integer.parseInt(sp) % 2 == 0).count(), "2 of 4 test speakers female");
        assertEquals(1, val.stream().filter(sp -> Integer.parseInt(sp) % 2 == 0).count(), "1 of 2 val speakers female");
        assertEquals(s, SpeakerSplits.holdout(all, 2, 4, 11));
        assertNotEquals(test, speakers(SpeakerSplits.holdout(all, 2, 4, 12).test()));
    }

    @Test
    void givenSpeakerHoldOut() {
        List<Utterance> all = ravdessLike();
        Split s = SpeakerSplits.holdout(all, List.of("03", "04"), List.of("19", "20"));
        assertPartition(all, s);
        assertEquals(Set.of("03", "04"), speakers(s.val()));
        assertEquals(Set.of("19", "20"), speakers(s.test()));
        assertEquals(16, speakers(s.train()).size());
        assertThrows(SerException.class, () -> SpeakerSplits.holdout(all, List.of("03"), List.of("03")));
        SerException e = assertThrows(SerException.class, () -> SpeakerSplits.holdout(all, List.of("99"), List.of()));
        assertTrue(e.getMessage().startsWith("speaker '99' is not in the corpus"), e.getMessage());
    }

    @Test
    void speakerFoldsTestEverySpeakerExactlyOnce() {
        List<Utterance> all = ravdessLike();
        List<Split> folds = SpeakerSplits.folds(all, 5, 2, 3);
        assertEquals(5, folds.size());
        List<String> tested = new ArrayList<>();
        for (Split f : folds) {
            assertPartition(all, f);
            Set<String> train = speakers(f.train()), val = speakers(f.val()), test = speakers(f.test());
            assertDisjoint(train, val, test);
            assertEquals(4, test.size());
            assertEquals(2, val.size());
            assertEquals(2, test.stream().filter(sp -> Integer.parseInt(sp) % 2 == 0).count(), "gender-balanced fold");
            tested.addAll(test);
        }
        assertEquals(20, tested.size());
        assertEquals(20, new HashSet<>(tested).size());
        assertEquals(folds, SpeakerSplits.folds(all, 5, 2, 3));
    }

    @Test
    void speakerSplitsNeedSpeakersAndSensibleCounts() {
        List<Utterance> all = ravdessLike();
        assertThrows(SerException.class, () -> SpeakerSplits.folds(all, 1, 0, 0));
        assertThrows(SerException.class, () -> SpeakerSplits.folds(all, 21, 0, 0));
        assertThrows(SerException.class, () -> SpeakerSplits.folds(all, 2, 10, 0), "nobody left to train on");
        assertThrows(SerException.class, () -> SpeakerSplits.holdout(all, 10, 10, 0));
        List<Utterance> anonymous = List.of(new Utterance(Path.of("x.wav"), "ANG", null, Gender.UNKNOWN, null, null));
        SerException e = assertThrows(SerException.class, () -> SpeakerSplits.holdout(anonymous, 0, 0, 0));
        assertTrue(e.getMessage().startsWith("x.wav: has no speaker id"), e.getMessage());
    }

    @Test
    void summaryCountsLabelsAndSpeakers() {
        Split s = SpeakerSplits.holdout(ravdessLike(), List.of("01"), List.of("02"));
        assertEquals("speakers val [01] test [02]: train 504 {ANG=144, HAP=144, NEU=72, SAD=144}, 18 speakers; "
                + "val 28 {ANG=8, HAP=8, NEU=4, SAD=8}, 1 speaker; test 28 {ANG=8, HAP=8, NEU=4, SAD=8}, 1 speaker",
                s.summary());
    }

    @SafeVarargs
    private static void assertDisjoint(Set<String>... parts) {
        Set<String> seen = new HashSet<>();
        for (Set<String> p : parts) for (String s : p) assertTrue(seen.add(s), "speaker " + s + " in two parts");
    }
}
