package ser.train;

import org.junit.jupiter.api.Test;
import ser.data.Utterance;
import ser.run.DataConfig;
import ser.testing.TinyRuns;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Balanced epochs: weighted draws by {@link DataConfig#sampleWeights}, seeded by run and epoch. */
class BatchesTest {

    @Test
    void corpusClassBalanceDrawsEveryGroupAlikeAndWeightsScaleACorpus() {
        List<Utterance> u = TinyRuns.unbalancedCorpora();
        int[] drawn = groupCounts(u, new DataConfig("corpus_class", Map.of()), 200);
        // four groups, each about a quarter of 200 x 100 draws
        for (int g = 0; g < 4; g++) assertEquals(5000, drawn[g], 400, "group " + g);

        DataConfig smallCountsThrice =
                new DataConfig("corpus_class", Map.of("small", new DataConfig.Corpus(null, 3.0, Map.of())));
        int[] weighted = groupCounts(u, smallCountsThrice, 200);
        assertEquals(3.0, (double) (weighted[2] + weighted[3]) / (weighted[0] + weighted[1]), 0.3);
    }

    @Test
    void weightedOrdersAreSeededByRunAndEpoch() {
        double[] w = new DataConfig("class", Map.of()).sampleWeights(TinyRuns.unbalancedCorpora());
        assertArrayEquals(Batches.weightedOrder(7, 3, w), Batches.weightedOrder(7, 3, w));
        assertEquals(false, java.util.Arrays.equals(Batches.weightedOrder(7, 3, w), Batches.weightedOrder(7, 4, w)));
    }

    /** Draws per group (big NEU, big ANG, small NEU, small ANG) over {@code epochs} epochs. */
    private static int[] groupCounts(List<Utterance> u, DataConfig d, int epochs) {
        double[] w = d.sampleWeights(u);
        int[] counts = new int[4];
        for (int e = 0; e < epochs; e++) {
            for (int i : Batches.weightedOrder(42, e, w)) {
                counts[(u.get(i).corpus().equals("big") ? 0 : 2) + (u.get(i).label().equals("NEU") ? 0 : 1)]++;
            }
        }
        return counts;
    }
}
