package ser.dsp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.SerException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MelConfigTest {

    static final String SEED_YAML = """
            sample_rate: 16000
            n_fft: 1024
            win_length: 640
            hop_length: 320
            n_mels: 128
            f_min: 0.0
            f_max: 8000.0
            power: 2.0
            mel_scale: htk
            norm: null
            top_db: null
            center: true
            pad_mode: reflect
            """;

    @TempDir
    Path dir;

    @Test
    void seedIsTheRecipesParameters() {
        assertEquals(new MelConfig(16000, 1024, 640, 320, 128, 0, 8000, 2.0, "htk", null, null, true, "reflect"),
                MelConfig.seed());
    }

    @Test
    void loadsAFileAndReadsNumbersOfEitherSpelling() throws IOException {
        MelConfig c = MelConfig.load(write(SEED_YAML.replace("f_min: 0.0", "f_min: 0").replace("top_db: null", "top_db: 80")));
        assertEquals(0.0, c.fMin());
        assertEquals(80.0, c.topDb());
        assertEquals(513, c.nFreqs());
    }

    @Test
    void nullFMaxMeansNyquistAsInTorchaudio() throws IOException {
        assertEquals(8000.0, MelConfig.load(write(SEED_YAML.replace("f_max: 8000.0", "f_max: null"))).fMax());
        assertNull(MelConfig.seed().norm());
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() throws IOException {
        Path file = write(SEED_YAML.replace("n_fft:", "n_ftt:"));
        var e = assertThrows(SerException.class, () -> MelConfig.load(file));
        assertEquals(file + ": unknown key 'n_ftt' (known: sample_rate, n_fft, win_length, hop_length, n_mels, f_min, "
                + "f_max, power, mel_scale, norm, top_db, center, pad_mode)", e.getMessage());
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        Path file = write(SEED_YAML.replace("center: true\n", ""));
        assertEquals(file + ": missing key 'center'", assertThrows(SerException.class, () -> MelConfig.load(file)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "n_fft: 1024      | n_fft: 1000       | n_fft must be a power of two >= 4, got 1000",
            "n_fft: 1024      | n_fft: 1024.5     | n_fft must be an integer, got '1024.5'",
            "win_length: 640  | win_length: 2048  | win_length must be in [1, n_fft=1024], got 2048",
            "hop_length: 320  | hop_length: 0     | hop_length must be positive, got 0",
            "f_max: 8000.0    | f_max: 9000       | f_max must be at most sample_rate/2=8000.0, got 9000.0",
            "f_min: 0.0       | f_min: 8000       | f_min must be in [0, f_max=8000.0), got 8000.0",
            "mel_scale: htk   | mel_scale: mfcc   | mel_scale must be htk or slaney, got mfcc",
            "norm: null       | norm: area        | norm must be null or slaney, got area",
            "top_db: null     | top_db: -1        | top_db must be null or >= 0, got -1.0",
            "center: true     | center: 'yes'     | center must be true or false, got 'yes'",
            "pad_mode: reflect | pad_mode: edge   | pad_mode must be reflect or constant, got edge",
            "power: 2.0       | power: two        | power must be a number, got 'two'",
    })
    void badValueIsNamedWithTheFile(String from, String to, String problem) throws IOException {
        Path file = write(SEED_YAML.replace(from.strip(), to.strip()));
        assertEquals(file + ": " + problem, assertThrows(SerException.class, () -> MelConfig.load(file)).getMessage());
    }

    @Test
    void notYamlOrNotAMappingIsOneLine() throws IOException {
        Path broken = write("n_fft: [1024\n");
        String message = assertThrows(SerException.class, () -> MelConfig.load(broken)).getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith(broken + ": not valid YAML: "), message);
        Path list = write("- 1\n- 2\n");
        assertEquals(list + ": expected a mapping of mel keys, found a list",
                assertThrows(SerException.class, () -> MelConfig.load(list)).getMessage());
        Path empty = write("");
        assertEquals(empty + ": expected a mapping of mel keys, found an empty document",
                assertThrows(SerException.class, () -> MelConfig.load(empty)).getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nope.yaml");
        assertTrue(assertThrows(SerException.class, () -> MelConfig.load(file)).getMessage()
                .startsWith(file + ": cannot read"));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "mel", ".yaml"), text);
    }
}
