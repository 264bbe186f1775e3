package ser.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClassificationMetricsTest {

    private static final double EPS = 1e-12;

    /**
     * truth A A A B B C, predicted A A B B C C. By hand: A has P 2/2, R 2/3, F1 0.8; B has P 1/2, R 1/2, F1 0.5;
     * C has P 1/2, R 1/1, F1 2/3. Accuracy 4/6, UAR (2/3 + 1/2 + 1) / 3 = 13/18, macro F1 (0.8 + 0.5 + 2/3) / 3.
     */
    @Test
    void threeClassesByHand() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("A", "B", "C"), new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2});
        ClassificationMetrics s = ClassificationMetrics.of(m);
        assertEquals(4.0 / 6, s.accuracy(), EPS);
        assertEquals(13.0 / 18, s.uar(), EPS);
        assertEquals((0.8 + 0.5 + 2.0 / 3) / 3, s.macroF1(), EPS);
        assertEquals(new ClassificationMetrics.PerClass("A", 1, 2.0 / 3, 0.8, 3), s.perClass().get(0));
        assertEquals(0.5, s.perClass().get(1).f1(), EPS);
        assertEquals(2.0 / 3, s.perClass().get(2).f1(), EPS);
        assertEquals(1, s.perClass().get(2).support());
    }

    @Test
    void confusionCountsRowsAsTruth() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("A", "B"), new int[] {0, 0, 1}, new int[] {1, 1, 1});
        assertEquals(2, m.count(0, 1));
        assertEquals(0, m.count(1, 0));
        assertEquals(2, m.support(0));
        assertEquals(3, m.predicted(1));
        assertEquals(1.0, m.rowNormalised()[0][1], EPS);
        assertEquals(0.0, m.rowNormalised()[0][0], EPS);
    }

    /** A label never seen (D) counts nowhere; one only predicted (B) counts in macro F1 but not in UAR. */
    @Test
    void absentClassesFollowScikitLearn() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("A", "B", "C", "D"), new int[] {0, 0, 2}, new int[] {0, 1, 2});
        ClassificationMetrics s = ClassificationMetrics.of(m);
        assertEquals((0.5 + 1) / 2, s.uar(), EPS);
        // A: P 1, R 1/2, F1 2/3; B: P 0 (one wrong prediction), F1 0; C: F1 1.
        assertEquals((2.0 / 3 + 0 + 1) / 3, s.macroF1(), EPS);
        assertEquals(0.0, s.perClass().get(3).precision());
        assertEquals(0, s.perClass().get(3).support());
    }

    @Test
    void perfectAndEmpty() {
        ClassificationMetrics s = ClassificationMetrics.of(ConfusionMatrix.of(List.of("X", "Y"), new int[] {0, 1}, new int[] {0, 1}));
        assertEquals(1.0, s.accuracy());
        assertEquals(1.0, s.uar());
        assertEquals(1.0, s.macroF1());
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new ConfusionMatrix(List.of("X"))));
    }

    @Test
    void jsonHasTheDocumentedKeys() {
        ConfusionMatrix m = ConfusionMatrix.of(List.of("NEU", "ANG"), new int[] {0, 1, 1}, new int[] {0, 1, 0});
        Map<String, Object> json = ClassificationMetrics.of(m).toJson();
        assertEquals(List.of("accuracy", "uar", "macro_f1", "per_class", "confusion", "labels"), List.copyOf(json.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> ang = (Map<String, Object>) ((Map<String, Object>) json.get("per_class")).get("ANG");
        assertEquals(List.of("precision", "recall", "f1", "support"), List.copyOf(ang.keySet()));
        assertEquals(2L, ang.get("support"));
        assertEquals("[[1,0],[1,1]]", ser.io.Json.write(json.get("confusion")));
    }
}
