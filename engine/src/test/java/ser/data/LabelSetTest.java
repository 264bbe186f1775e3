package ser.data;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.data.Utterance.Gender;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LabelSetTest {

    private static List<Utterance> labelled(String... labels) {
        return java.util.Arrays.stream(labels)
                .map(l -> new Utterance(Path.of(l + ".wav"), l, "s", Gender.UNKNOWN, null, null)).toList();
    }

    @Test
    void seed4KeepsTheFourSeedClassesInTheSeedOrder() {
        List<Utterance> corpus = labelled("ANG", "CAL", "SAD", "SUR", "NEU", "HAP", "DIS");
        LabelSet seed4 = LabelSet.named("seed4", corpus);
        assertEquals(List.of("NEU", "HAP", "SAD", "ANG"), seed4.classes());
        assertEquals(List.of("ANG", "SAD", "NEU", "HAP"), seed4.keep(corpus).stream().map(Utterance::label).toList());
        assertEquals(3, seed4.indexOf("ANG"));
        assertEquals(-1, seed4.indexOf("CAL"));
    }

    @Test
    void allKeepsEveryLabelCanonicalOnesFirst() {
        List<Utterance> corpus = labelled("frustrated", "BOR", "ANG", "CAL", "NEU", "excited", "ANG");
        LabelSet all = LabelSet.named("all", corpus);
        assertEquals(List.of("NEU", "CAL", "ANG", "BOR", "excited", "frustrated"), all.classes());
        assertEquals(corpus, all.keep(corpus));
    }

    @Test
    void emotionNamesBecomeCanonicalCodes() {
        assertEquals("ANG", Emotion.canonical(" Angry "));
        assertEquals("HAP", Emotion.canonical("happiness"));
        assertEquals("FEA", Emotion.canonical("fea"));
        assertEquals("SUR", Emotion.canonical("surprised"));
        assertEquals("frustrated", Emotion.canonical("frustrated"));
    }

    @Test
    void unknownNamesAreRejected() {
        SerException e = assertThrows(SerException.class, () -> LabelSet.named("seed5", List.of()));
        assertEquals("unknown label set 'seed5' (choose one of [seed4, all])", e.getMessage());
    }
}
