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

/** The real RAVDESS tree in the shared data folder (skipped where it is absent): names and manifest agree. */
class SharedRavdessTest {

    static Path root;

    @BeforeAll
    static void findData() {
        String shared = System.getProperty("ser.shared");
        root = shared == null ? null : Path.of(shared, "data", "ravdess-16k");
        assumeTrue(root != null && Files.isDirectory(root), "shared RAVDESS data not present");
    }

    @Test
    void directoryScanFindsAllTwelveHundredClips() {
        Corpus c = Corpora.open(root);
        assertEquals("RAVDESS", c.name());
        assertEquals(1200, c.utterances().size());
        assertTrue(c.skipped().isEmpty(), c.skipped().toString());
        assertEquals(20, c.utterances().stream().map(Utterance::speaker).distinct().count());
        assertEquals(560, LabelSet.seed4().keep(c.utterances()).size(), "80 + 160 + 160 + 160, as its README says");
    }

    @Test
    void theManifestSaysWhatTheFileNamesSay() {
        Map<Path, Utterance> byName = Corpora.open(root).utterances().stream()
                .collect(Collectors.toMap(Utterance::path, Function.identity()));
        Corpus manifest = Corpora.open(root.resolve("manifest.csv"));
        assertEquals(1200, manifest.utterances().size());
        for (Utterance m : manifest.utterances()) {
            Utterance n = byName.get(m.path());
            assertNotNull(n, m.path().toString());
            assertEquals(n.label(), m.label(), m.path().toString());
            assertEquals(n.gender(), m.gender(), m.path().toString());
            assertEquals(Integer.parseInt(n.speaker()), Integer.parseInt(m.speaker()));
        }
    }
}
