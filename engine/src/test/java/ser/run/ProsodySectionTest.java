package ser.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.SerException;
import ser.features.ProsodyFeatureConfig;
import ser.features.ProsodyFeatures;
import ser.model.ModelSpec;
import ser.testing.TinyRuns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kind: prosody} in a recipe: defaults, explicit settings, one-line errors, and the shipped recipes. */
class ProsodySectionTest {

    @TempDir
    Path dir;

    @Test
    void readsSettingsAndDefaults() throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("c.yaml"), "model: m.yaml\nfeatures: {kind: prosody, pitch_floor: 60}\n");
        FeatureSection section = TrainConfig.load(dir.resolve("c.yaml")).features().get(ModelSpec.SINGLE_INPUT);
        assertEquals(new ProsodyFeatureConfig(60, 600, 5500), ((FeatureSection.Prosody) section).config());
        assertTrue(section.open() instanceof ProsodyFeatures);
        assertEquals(60.0, section.writeTo(dir, "features").get("pitch_floor"));
    }

    @Test
    void aBadValueIsOneLineNamingTheKey() throws IOException {
        Files.writeString(dir.resolve("m.yaml"), TinyRuns.MODEL);
        Files.writeString(dir.resolve("c.yaml"), "model: m.yaml\nfeatures: {kind: prosody, pitch_ceiling: 50}\n");
        SerException e = assertThrows(SerException.class, () -> TrainConfig.load(dir.resolve("c.yaml")));
        assertTrue(e.getMessage().contains("pitch_ceiling"), e.getMessage());
    }

    @Test
    void theShippedRecipesRead() {
        assertTrue(TrainConfig.load(Path.of("train-prosody.yaml")).features().get(ModelSpec.SINGLE_INPUT) instanceof FeatureSection.Prosody);
        TrainConfig fusion = TrainConfig.load(Path.of("train-mel-prosody.yaml"));
        assertTrue(fusion.features().get("mel") instanceof FeatureSection.Mel);
        assertTrue(fusion.features().get("prosody") instanceof FeatureSection.Prosody);
    }
}
