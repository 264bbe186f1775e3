package ser.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.audio.WavWriter;
import ser.data.Utterance.Gender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static ser.data.CorporaTest.utterances;

/** EMOVO, TESS and SAVEE names, read from tiny real WAV files, and the audio extensions a scan collects. */
class MoreCorporaTest {

    @TempDir
    Path dir;

    private void wavs(String... relative) throws IOException {
        for (String r : relative) {
            Path p = dir.resolve(r);
            Files.createDirectories(p.getParent());
            WavWriter.writePcm16(p, new float[] {0, 0.5f, -0.5f, 0}, 16000);
        }
    }

    private List<Path> skipped(Corpus c) {
        return c.skipped().stream().map(Corpus.Skipped::file).toList();
    }

    @Test
    void emovoNames() throws IOException {
        wavs("f1/dis-f1-b1.wav", "f2/gio-f2-l3.wav", "m3/neu-m3-n5.wav", "m1/pau-m1-d2.wav", "m2/rab-m2-b3.wav",
                "f3/sor-f3-l1.wav", "m1/tri-m1-n1.wav", "m1/xyz-m1-n1.wav", "m4/neu-m4-b1.wav", "f1/notes.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("EMOVO", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("f1/dis-f1-b1.wav"), "DIS", "f1", Gender.FEMALE, "b1", null),
                new Utterance(dir.resolve("f2/gio-f2-l3.wav"), "HAP", "f2", Gender.FEMALE, "l3", null),
                new Utterance(dir.resolve("f3/sor-f3-l1.wav"), "SUR", "f3", Gender.FEMALE, "l1", null),
                new Utterance(dir.resolve("m1/pau-m1-d2.wav"), "FEA", "m1", Gender.MALE, "d2", null),
                new Utterance(dir.resolve("m1/tri-m1-n1.wav"), "SAD", "m1", Gender.MALE, "n1", null),
                new Utterance(dir.resolve("m2/rab-m2-b3.wav"), "ANG", "m2", Gender.MALE, "b3", null),
                new Utterance(dir.resolve("m3/neu-m3-n5.wav"), "NEU", "m3", Gender.MALE, "n5", null)),
                utterances(c));
        assertEquals(List.of(dir.resolve("f1/notes.wav"), dir.resolve("m1/xyz-m1-n1.wav"), dir.resolve("m4/neu-m4-b1.wav")),
                skipped(c));
        assertEquals("file name does not follow the EMOVO pattern", c.skipped().getFirst().reason());
    }

    @Test
    void tessNamesInAnyCase() throws IOException {
        wavs("OAF_angry/OAF_back_angry.wav", "YAF_pleasant_surprised/YAF_dog_pleasant_surprised.wav",
                "YAF_pleasant_surprise/YAF_dog_pleasant_surprise.wav", "OAF_Pleasant_surprise/OAF_bar_ps.wav",
                "yaf/yaf_Chair_Disgust.WAV", "OAF_Fear/OAF_base_fear.wav", "x/OAF_bean_happy.wav",
                "x/YAF_bite_neutral.wav", "x/OAF_back_sad.wav", "x/OA_bite_neutral.wav", "x/OAF_back_bored.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("TESS", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("OAF_Fear/OAF_base_fear.wav"), "FEA", "OAF", Gender.FEMALE, "base", null),
                new Utterance(dir.resolve("OAF_Pleasant_surprise/OAF_bar_ps.wav"), "SUR", "OAF", Gender.FEMALE, "bar", null),
                new Utterance(dir.resolve("OAF_angry/OAF_back_angry.wav"), "ANG", "OAF", Gender.FEMALE, "back", null),
                new Utterance(dir.resolve("YAF_pleasant_surprise/YAF_dog_pleasant_surprise.wav"), "SUR", "YAF", Gender.FEMALE, "dog", null),
                new Utterance(dir.resolve("YAF_pleasant_surprised/YAF_dog_pleasant_surprised.wav"), "SUR", "YAF", Gender.FEMALE, "dog", null),
                new Utterance(dir.resolve("x/OAF_back_sad.wav"), "SAD", "OAF", Gender.FEMALE, "back", null),
                new Utterance(dir.resolve("x/OAF_bean_happy.wav"), "HAP", "OAF", Gender.FEMALE, "bean", null),
                new Utterance(dir.resolve("x/YAF_bite_neutral.wav"), "NEU", "YAF", Gender.FEMALE, "bite", null),
                new Utterance(dir.resolve("yaf/yaf_Chair_Disgust.WAV"), "DIS", "YAF", Gender.FEMALE, "chair", null)),
                utterances(c));
        assertEquals(List.of(dir.resolve("x/OAF_back_bored.wav"), dir.resolve("x/OA_bite_neutral.wav")), skipped(c));
    }

    @Test
    void saveeNamesWithSpeakerPrefix() throws IOException {
        wavs("AudioData/DC_a01.wav", "AudioData/JE_sa15.wav", "AudioData/JK_su03.wav", "AudioData/KL_n30.wav",
                "AudioData/DC_h07.wav", "AudioData/JE_d02.wav", "AudioData/KL_f11.wav",
                "AudioData/DC_s01.wav", "AudioData/DC_a16.wav", "AudioData/XX_a01.wav", "AudioData/KL_n31.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("SAVEE", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("AudioData/DC_a01.wav"), "ANG", "DC", Gender.MALE, "01", null),
                new Utterance(dir.resolve("AudioData/DC_h07.wav"), "HAP", "DC", Gender.MALE, "07", null),
                new Utterance(dir.resolve("AudioData/JE_d02.wav"), "DIS", "JE", Gender.MALE, "02", null),
                new Utterance(dir.resolve("AudioData/JE_sa15.wav"), "SAD", "JE", Gender.MALE, "15", null),
                new Utterance(dir.resolve("AudioData/JK_su03.wav"), "SUR", "JK", Gender.MALE, "03", null),
                new Utterance(dir.resolve("AudioData/KL_f11.wav"), "FEA", "KL", Gender.MALE, "11", null),
                new Utterance(dir.resolve("AudioData/KL_n30.wav"), "NEU", "KL", Gender.MALE, "30", null)),
                utterances(c));
        assertEquals(List.of(dir.resolve("AudioData/DC_a16.wav"), dir.resolve("AudioData/DC_s01.wav"),
                dir.resolve("AudioData/KL_n31.wav"), dir.resolve("AudioData/XX_a01.wav")), skipped(c));
    }

    @Test
    void saveeSpeakerFromTheFolder() throws IOException {
        wavs("AudioData/DC/a01.wav", "AudioData/JK/sa02.wav", "AudioData/KL/n22.wav", "AudioData/JE/su15.wav",
                "AudioData/other/a01.wav", "AudioData/DC/info.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("SAVEE", c.name());
        assertEquals(List.of(
                new Utterance(dir.resolve("AudioData/DC/a01.wav"), "ANG", "DC", Gender.MALE, "01", null),
                new Utterance(dir.resolve("AudioData/JE/su15.wav"), "SUR", "JE", Gender.MALE, "15", null),
                new Utterance(dir.resolve("AudioData/JK/sa02.wav"), "SAD", "JK", Gender.MALE, "02", null),
                new Utterance(dir.resolve("AudioData/KL/n22.wav"), "NEU", "KL", Gender.MALE, "22", null)),
                utterances(c));
        assertEquals(List.of(dir.resolve("AudioData/DC/info.wav"), dir.resolve("AudioData/other/a01.wav")), skipped(c));
    }

    @Test
    void emoDbIsNotTakenForSaveeEvenInASpeakerLikeFolder() throws IOException {
        wavs("DC/03a01Fa.wav", "DC/16b10Lb.wav", "DC/a01.wav");
        Corpus c = Corpora.open(dir);
        assertEquals("EmoDB", c.name());
        assertEquals(2, c.utterances().size());
        assertEquals(List.of(dir.resolve("DC/a01.wav")), skipped(c));
    }

    @Test
    void aiffExtensionsAreCollectedInAnyCase() throws IOException {
        wavs("Actor_01/03-01-05-01-02-01-01.aif", "Actor_01/03-01-04-01-02-01-01.AIFF",
                "Actor_01/03-01-03-01-02-01-01.aifc", "Actor_01/03-01-01-01-02-01-01.wav",
                "Actor_01/03-01-01-01-02-01-01.mp3", "Actor_01/03-01-01-01-02-01-01.aiff.txt");
        Corpus c = Corpora.open(dir);
        assertEquals("RAVDESS", c.name());
        assertEquals(List.of("NEU", "HAP", "SAD", "ANG"), c.utterances().stream().map(Utterance::label).toList());
        assertTrue(c.skipped().isEmpty(), c.skipped().toString());
    }
}
