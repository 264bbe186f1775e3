package ser.train;

import org.junit.jupiter.api.Test;
import ser.config.ConfigNode;
import ser.data.Utterance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DataConfigTest {

    private static DataConfig read(String yaml) {
        return DataConfig.read(ConfigNode.parse(yaml, Path.of("recipe.yaml")));
    }

    /** 90 utterances of corpus big (60 NEU, 30 ANG) and 10 of corpus small (5 NEU, 5 ANG). */
    private static List<Utterance> unbalanced() {
        List<Utterance> u = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String corpus = i < 90 ? "big" : "small";
            String label = i < 60 || (i >= 90 && i < 95) ? "NEU" : "ANG";
            u.add(new Utterance(Path.of(i + ".wav"), label, "s", Utterance.Gender.UNKNOWN, null, null, corpus));
        }
        return u;
    }

    @Test
    void noBalanceAndEqualWeightsKeepThePlainShuffle() {
        assertNull(read("balance: none").sampleWeights(unbalanced()));
        assertNull(DataConfig.NONE.sampleWeights(unbalanced()));
    }

    @Test
    void corpusClassBalanceDrawsEveryGroupAlikeAndWeightsScaleACorpus() {
        List<Utterance> u = unbalanced();
        int[] drawn = groupCounts(u, read("balance: corpus_class"), 200);
        // four groups, each about a quarter of 200 x 100 draws
        for (int g = 0; g < 4; g++) assertEquals(5000, drawn[g], 400, "group " + g);

        int[] weighted = groupCounts(u, read("balance: corpus_class\ncorpora: {small: {weight: 3}}"), 200);
        assertEquals(3.0, (double) (weighted[2] + weighted[3]) / (weighted[0] + weighted[1]), 0.3);
    }

    @Test
    void weightedOrdersAreSeededByRunAndEpoch() {
        double[] w = read("balance: class").sampleWeights(unbalanced());
        assertArrayEquals(Batches.weightedOrder(7, 3, w), Batches.weightedOrder(7, 3, w));
        assertEquals(false, java.util.Arrays.equals(Batches.weightedOrder(7, 3, w), Batches.weightedOrder(7, 4, w)));
    }

    @Test
    void relabelMapsOneCorpusLabelsOnly() {
        DataConfig d = read("corpora: {small: {relabel: {NEU: CAL}}}");
        List<Utterance> u = unbalanced();
        assertEquals("CAL", d.relabel(u.get(95 - 1)).label());
        assertEquals("NEU", d.relabel(u.get(0)).label());
        assertEquals(Map.of("balance", "none", "corpora", Map.of("small", Map.of("weight", 1.0, "relabel", Map.of("NEU", "CAL")))),
                d.toYaml());
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
