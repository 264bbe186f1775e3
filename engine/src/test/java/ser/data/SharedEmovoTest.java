package ser.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real EMOVO tree in the shared data folder (skipped where it is absent), opened as a directory. */
class SharedEmovoTest {

    static Path root;

    @BeforeAll
    static void findData() {
        String shared = System.getProperty("ser.shared");
        root = shared == null ? null : Path.of(shared, "data", "emovo-16k");
        assumeTrue(root != null && Files.isDirectory(root), "shared EMOVO data not present");
    }

    @Test
    void directoryScanFindsAll588Clips() {
        Corpus c = Corpora.open(root);
        assertEquals("EMOVO", c.name());
        assertEquals(588, c.utterances().size());
        assertTrue(c.skipped().isEmpty(), c.skipped().toString());
        assertEquals(6, c.utterances().stream().map(Utterance::speaker).distinct().count());
        Map<String, Long> perEmotion = c.utterances().stream()
                .collect(Collectors.groupingBy(Utterance::label, Collectors.counting()));
        assertEquals(Map.of("NEU", 84L, "HAP", 84L, "SAD", 84L, "ANG", 84L, "FEA", 84L, "DIS", 84L, "SUR", 84L), perEmotion);
        assertEquals(14, c.utterances().stream().map(Utterance::sentence).distinct().count());
    }

    @Test
    void theManifestSaysWhatTheFileNamesSay() {
        Map<Path, Utterance> byName = Corpora.open(root).utterances().stream()
                .collect(Collectors.toMap(Utterance::path, Function.identity()));
        Corpus manifest = Corpora.open(root.resolve("manifest.csv"));
        assertEquals(588, manifest.utterances().size());
        for (Utterance m : manifest.utterances()) {
            Utterance n = byName.get(m.path());
            assertNotNull(n, m.path().toString());
            assertEquals(n.label(), m.label(), m.path().toString());
            assertEquals(n.speaker(), m.speaker(), m.path().toString());
        }
    }
}
