package ser.run;

import org.junit.jupiter.api.Test;
import ser.config.ConfigNode;
import ser.data.Utterance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    void balanceAndWeightsAreRead() {
        assertEquals(new DataConfig("corpus_class", Map.of()), read("balance: corpus_class"));
        assertEquals(new DataConfig("corpus_class", Map.of("small", new DataConfig.Corpus(null, 3.0, Map.of()))),
                read("balance: corpus_class\ncorpora: {small: {weight: 3}}"));
        assertEquals(new DataConfig("class", Map.of()), read("balance: class"));
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
}
