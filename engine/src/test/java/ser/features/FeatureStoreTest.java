package ser.features;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.Progress;
import ser.SerException;
import ser.data.Corpora;
import ser.data.Corpus;
import ser.dsp.MelConfig;
import ser.hubert.convert.HubertConverter;
import ser.synth.SyntheticCorpus;
import ser.tensor.Tensor;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inputs that fit in memory are held there; unpooled HuBERT states that do not are read from the cache per batch. */
class FeatureStoreTest {

    private static final List<String> LABELS = List.of("NEU", "HAP", "SAD", "ANG");

    @TempDir
    static Path dir;
    private static Path weights;
    private static Corpus corpus;

    @BeforeAll
    static void weightsAndCorpus() throws URISyntaxException {
        weights = dir.resolve("small.safetensors");
        HubertConverter.convert(Path.of(FeatureStoreTest.class.getResource("/fixtures/hubert/small-base/hf").toURI()), weights, null);
        SyntheticCorpus.generate(dir.resolve("corpus"), 2, 1, LABELS, 3, 0.3);
        corpus = Corpora.open(dir.resolve("corpus"));
    }

    @Test
    void streamedInputsAreTheInputsHeldInMemory() {
        Map<String, Features> features = new LinkedHashMap<>();
        features.put("mel", new LogMelFeatures(new FeatureConfig(MelConfig.seed(), 0.3, "utterance")));
        features.put("hubert", hubert("none"));
        long melBytes = 4L * corpus.utterances().size() * Tensor.count(features.get("mel").inputShape());
        FeatureStore.Loaded held = load(features, Long.MAX_VALUE), streamed = load(features, melBytes);
        assertEquals(Set.of(), held.streamed());
        assertEquals(Set.of("hubert"), streamed.streamed(), "the fixed-size log-Mel input stays in memory");

        Examples a = held.examples(corpus.utterances(), LABELS), b = streamed.examples(corpus.utterances(), LABELS);
        assertEquals(8, a.size());
        assertEquals(a.utterances(), b.utterances());
        for (String input : List.of("mel", "hubert")) {
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.inputs().get(input).get(i), b.inputs().get(input).get(i), input + " " + i);
        }
        assertArrayEquals(new int[] {3, -1, 48}, b.shapes().get("hubert"));
        assertEquals(3 * 14 * 48, b.inputs().get("hubert").get(0).length, "every state of each of the 14 frames");
    }

    @Test
    void fixedSizeInputsThatDoNotFitAreRefused() {
        SerException e = assertThrows(SerException.class, () -> load(Map.of("hubert", hubert("mean")), 1));
        assertTrue(e.getMessage().startsWith("the cached features take 0 MB, more than the 0 MB this JVM can hold"), e.getMessage());
    }

    /** A cache filled before long clips were chunked (or with other chunks) must not be taken for this one. */
    @Test
    void theHubertCacheKeyNamesHowLongClipsAreChunked() {
        String key = hubert("mean").cacheKey();
        assertTrue(key.endsWith(" chunks=" + HubertFeatures.CHUNK_SECONDS + "+" + HubertFeatures.CHUNK_OVERLAP_SECONDS), key);
    }

    private static Features hubert(String pool) {
        return new HubertFeatures(new HubertFeatureConfig(weights, "all", pool, 0, null));
    }

    private static FeatureStore.Loaded load(Map<String, Features> features, long budget) {
        return new FeatureStore(features, dir.resolve("cache"), 2, budget).load(corpus, corpus.utterances(), Progress.Factory.NONE);
    }
}
