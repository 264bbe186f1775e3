package ser.run;

import org.junit.jupiter.api.Test;
import ser.config.ConfigNode;
import ser.data.Utterance;
import ser.testing.TinyRuns;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DataConfigTest {

    private static DataConfig read(String yaml) {
        return DataConfig.read(ConfigNode.parse(yaml, Path.of("recipe.yaml")));
    }

    @Test
    void noBalanceAndEqualWeightsKeepThePlainShuffle() {
        assertNull(read("balance: none").sampleWeights(TinyRuns.unbalancedCorpora()));
        assertNull(DataConfig.NONE.sampleWeights(TinyRuns.unbalancedCorpora()));
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
        List<Utterance> u = TinyRuns.unbalancedCorpora();
        assertEquals("CAL", d.relabel(u.get(95 - 1)).label());
        assertEquals("NEU", d.relabel(u.get(0)).label());
        assertEquals(Map.of("balance", "none", "corpora", Map.of("small", Map.of("weight", 1.0, "relabel", Map.of("NEU", "CAL")))),
                d.toYaml());
    }
}
