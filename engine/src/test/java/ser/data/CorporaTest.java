package ser.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.data.Utterance.Gender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The readers parse names only, so the fixture trees are empty files named as each corpus names them. */
class CorporaTest {

    @TempDir
    Path dir;

    static void touch(Path root, String... relative) throws IOException {
        for (String r : relative) {
            Path p = root.resolve(r);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[0]);
        }
    }

    /** The utterances without the corpus id (the temporary folder's random name), checked here once. */
    static List<Utterance> utterances(Corpus c) {
        assertTrue(c.utterances().stream().allMatch(u -> c.id().equals(u.corpus())), "corpus id " + c.id());
        return c.utterances().stream().map(u -> u.withCorpus(null)).toList();
    }

    @Test
    void cremaDNamesAndDemographics() throws IOException {
        touch(dir, "AudioWAV/1001_DFA_ANG_XX.wav", "AudioWAV/1002_IEO_HAP_HI.wav", "AudioWAV/1091_TIE_SAD_LO.wav",
                "AudioWAV/1001_DFA_XXX_XX.wav", "notes.txt");
        Files.writeString(dir.resolve("VideoDemographics.csv"),
                "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n");
        Corpus c = Corpora.open(dir);
        assertEquals("CREMA-D", c.name());
        assertEquals(dir, c.root());
        assertEquals(List.of(
                new Utterance(dir.resolve("AudioWAV/1001_DFA_ANG_XX.wav"), "ANG", "1001", Gender.MALE, "DFA", "XX"),
                new Utterance(dir.resolve("AudioWAV/1002_IEO_HAP_HI.wav"), "HAP", "1002", Gender.FEMALE, "IEO", "HI"),
                new Utterance(dir.resolve("AudioWAV/1091_TIE_SAD_LO.wav"), "SAD", "1091", Gender.UNKNOWN, "TIE", "LO")),
                utterances(c));
        assertEquals(List.of(new Corpus.Skipped(dir.resolve("AudioWAV/1001_DFA_XXX_XX.wav"),
                "file name does not follow the CREMA-D pattern")), c.skipped());
    }

    @Test
    void ravdessNames() throws IOException {
        touch(dir, "Actor_12/03-01-05-01-02-01-12.wav", "Actor_01/03-01-02-02-01-02-01.WAV",
                "Actor_01/03-01-09-01-01-01-01.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("RAVDESS", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("Actor_01/03-01-02-02-01-02-01.WAV"), "CAL", "01", Gender.MALE, "01", "strong"),
                new Utterance(dir.resolve("Actor_12/03-01-05-01-02-01-12.wav"), "ANG", "12", Gender.FEMALE, "02", "normal")),
                utterances(c));
        assertEquals(1, c.skipped().size(), "emotion 09 does not exist");
    }

    @Test
    void emoDbNames() throws IOException {
        touch(dir, "wav/03a01Fa.wav", "wav/16b10Lb.wav", "wav/09a05Wc.wav", "wav/03a01Xa.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("EmoDB", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("wav/03a01Fa.wav"), "HAP", "03", Gender.MALE, "a01", null),
                new Utterance(dir.resolve("wav/09a05Wc.wav"), "ANG", "09", Gender.FEMALE, "a05", null),
                new Utterance(dir.resolve("wav/16b10Lb.wav"), "BOR", "16", Gender.FEMALE, "b10", null)),
                utterances(c));
        assertEquals(List.of(dir.resolve("wav/03a01Xa.wav")), c.skipped().stream().map(Corpus.Skipped::file).toList());
    }

    @Test
    void theMajorityNamingWinsAndTheRestIsSkipped() throws IOException {
        touch(dir, "03-01-05-01-02-01-12.wav", "03-01-01-01-02-01-12.wav", "1001_DFA_ANG_XX.wav", "._03-01-05-01-02-01-12.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("RAVDESS", c.name());
        assertEquals(2, c.utterances().size());
        assertEquals(2, c.skipped().size());
    }

    @Test
    void unusableDataIsAOneLineErrorNamingIt() throws IOException {
        assertError(dir.resolve("missing"), "no such file or directory");
        assertError(dir, "no audio files (.wav, .aif, .aiff, .aifc) in this directory");
        touch(dir, "a/hello.wav", "b/world.wav");
        assertError(dir, "none of its 2 audio file names follow the CREMA-D, RAVDESS, EmoDB, EMOVO, TESS or SAVEE patterns");
        touch(dir, "x.txt");
        assertError(dir.resolve("x.txt"), "expected a directory of audio files or a .csv manifest");
    }

    private static void assertError(Path data, String problem) {
        SerException e = assertThrows(SerException.class, () -> Corpora.open(data));
        assertTrue(e.getMessage().startsWith(data + ": ") && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void csvWithoutHeaderIsPathLabelSpeaker() throws IOException {
        touch(dir, "clips/a.wav", "clips/b.wav", "c.wav");
        Files.writeString(dir.resolve("list.csv"), """
                # my corpus
                clips/a.wav,angry,spk1
                "clips/b.wav", Frustrated , spk2

                c.wav,neutral
                clips/gone.wav,sad,spk1
                """);
        Corpus c = Corpora.open(dir.resolve("list.csv"));
        assertEquals("CSV manifest", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("clips/a.wav"), "ANG", "spk1", Gender.UNKNOWN, null, null),
                new Utterance(dir.resolve("clips/b.wav"), "Frustrated", "spk2", Gender.UNKNOWN, null, null),
                new Utterance(dir.resolve("c.wav"), "NEU", null, Gender.UNKNOWN, null, null)), utterances(c));
        assertEquals(List.of(new Corpus.Skipped(dir.resolve("clips/gone.wav"), "list.csv:6: no such file")), c.skipped());
    }

    @Test
    void csvHeaderColumnsAreFoundByName() throws IOException {
        touch(dir, "Actor_01/x.wav");
        Files.writeString(dir.resolve("manifest.csv"), "path,actor,gender,emotion,seconds\nActor_01/x.wav,1,male,happy,3.3\n");
        assertEquals(List.of(new Utterance(dir.resolve("Actor_01/x.wav"), "HAP", "1", Gender.MALE, null, null)),
                utterances(Corpora.open(dir.resolve("manifest.csv"))));

        Files.writeString(dir.resolve("nolabel.csv"), "path,speaker\nx.wav,1\n");
        SerException e = assertThrows(SerException.class, () -> Corpora.open(dir.resolve("nolabel.csv")));
        assertTrue(e.getMessage().contains("has no label column"), e.getMessage());
    }

    @Test
    void csvRowsWithTooFewFieldsNameTheLine() throws IOException {
        Files.writeString(dir.resolve("m.csv"), "a.wav,ANG\nb.wav\n");
        SerException e = assertThrows(SerException.class, () -> Corpora.open(dir.resolve("m.csv")));
        assertEquals(dir.resolve("m.csv") + ":2: expected 2 fields (path,label[,speaker]), got 1", e.getMessage());
    }
}
