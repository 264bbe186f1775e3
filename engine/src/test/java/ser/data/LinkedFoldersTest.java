package ser.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Corpora assembled from linked speaker folders: links are followed, loops and dangling links listed as skipped. */
class LinkedFoldersTest {

    @TempDir Path dir;

    @Test
    void symlinkedSpeakerFoldersAreReadAndLoopsAreSkippedWithTheReason() throws IOException {
        Path elsewhere = dir.resolve("elsewhere");
        Path corpus = dir.resolve("corpus");
        CorporaTest.touch(elsewhere, "Actor_12/03-01-05-01-02-01-12.wav");
        CorporaTest.touch(corpus, "Actor_01/03-01-02-02-01-02-01.wav");
        Files.createSymbolicLink(corpus.resolve("Actor_12"), elsewhere.resolve("Actor_12"));
        Files.createSymbolicLink(corpus.resolve("Actor_01/again"), corpus); // a loop back to the top
        Files.createSymbolicLink(corpus.resolve("gone.wav"), dir.resolve("nowhere.wav"));

        Corpus c = Corpora.open(corpus);
        assertEquals(List.of("01", "12"), c.utterances().stream().map(Utterance::speaker).toList(),
                "the linked speaker folder is read");
        assertEquals(List.of(
                new Corpus.Skipped(corpus.resolve("Actor_01/again"), "symbolic link loop: leads back to a folder above it, not walked again"),
                new Corpus.Skipped(corpus.resolve("gone.wav"), "symbolic link to nothing")), c.skipped());
    }
}
