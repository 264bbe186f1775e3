package ser.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.io.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {

    private static final List<String> LABELS = List.of("NEU", "HAP");

    private static Evaluation.Row row(String corpus, int truth, int predicted, double pHappy) {
        return new Evaluation.Row(corpus + "-" + truth + predicted + ".wav", corpus, truth, predicted,
                new double[] {1 - pHappy, pHappy});
    }

    @Test
    void severalCorporaAreScoredEachAndTogether(@TempDir Path dir) {
        List<Evaluation.Row> rows = List.of(row("emovo", 0, 0, 0.2), row("emovo", 1, 1, 0.8),
                row("ravdess", 0, 1, 0.6), row("ravdess", 1, 1, 0.9), row("ravdess", 1, 1, 0.7));
        Evaluation.Scores scores = Evaluation.write(dir, LABELS, rows, Map.of("split", "all"));
        assertEquals(List.of("emovo", "ravdess"), List.copyOf(scores.perCorpus().keySet()));
        assertEquals(1.0, scores.perCorpus().get("emovo").accuracy(), 0);
        assertEquals(2.0 / 3, scores.perCorpus().get("ravdess").accuracy(), 1e-12);

        Map<?, ?> json = (Map<?, ?>) Json.read(dir.resolve("metrics.json"));
        Map<?, ?> ravdess = (Map<?, ?>) ((Map<?, ?>) json.get("per_corpus")).get("ravdess");
        assertEquals(List.of("n", "accuracy", "uar", "macro_f1", "confusion"), List.copyOf(ravdess.keySet()));
        assertEquals(3L, ravdess.get("n"));
        assertEquals(0.5, ((Number) ravdess.get("uar")).doubleValue(), 1e-12);
        assertEquals(List.of(List.of(0L, 1L), List.of(0L, 2L)), ravdess.get("confusion"));
        // Confidences 0.8, 0.8, 0.6, 0.9, 0.7: bins [0.6,0.7) wrong, [0.7,0.8) right, [0.8,0.9) two right, [0.9,1) right.
        double ece = (0.6 + 0.3 + 2 * 0.2 + 0.1) / 5;
        assertEquals(ece, ((Number) json.get("ece")).doubleValue(), 1e-12);
        assertEquals(ece, scores.calibration().ece(), 1e-12);
        assertTrue(json.containsKey("calibration"));
        for (String png : List.of("confusion.png", "confusion-emovo.png", "confusion-ravdess.png", "reliability.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(png)), png);
        }
    }

    @Test
    void oneCorpusHasNoBreakdown(@TempDir Path dir) throws Exception {
        List<Evaluation.Row> rows = List.of(row("emovo", 0, 0, 0.2), row("emovo", 1, 0, 0.4));
        Evaluation.Scores scores = Evaluation.write(dir, LABELS, rows, Map.of());
        assertTrue(scores.perCorpus().isEmpty());
        Map<?, ?> json = (Map<?, ?>) Json.read(dir.resolve("metrics.json"));
        assertFalse(json.containsKey("per_corpus"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("confusion.png", "metrics.json", "predictions.csv", "reliability.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void filesOfNoKnownCorpusAreGroupedApartFromTheNamedOnes() {
        Map<String, ClassificationMetrics> split = CorpusBreakdown.of(LABELS, Arrays.asList("emovo", null),
                new int[] {0, 1}, new int[] {0, 1});
        assertEquals(List.of("emovo", CorpusBreakdown.UNKNOWN), List.copyOf(split.keySet()));
        assertTrue(CorpusBreakdown.of(LABELS, Arrays.asList(null, null), new int[] {0, 1}, new int[] {0, 1}).isEmpty());
    }
}
