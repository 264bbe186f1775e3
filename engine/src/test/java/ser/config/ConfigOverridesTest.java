package ser.config;

import org.junit.jupiter.api.Test;
import ser.SerException;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigOverridesTest {

    private static final String YAML = "seed: 1\ntraining: {epochs: 20, lr: 0.01}\n";

    @Test
    void overridesReplaceNestedValuesAndCreateMissingMappings() {
        ConfigNode n = ConfigOverrides.apply(YAML, Path.of("r.yaml"),
                List.of("training.epochs=30", "split.kind=speakers", "augment={eq: 0.5}", "seed=7"));
        assertEquals(30, n.node("training").integer("epochs"));
        assertEquals(0.01, n.node("training").number("lr"));
        assertEquals("speakers", n.node("split").string("kind"));
        assertEquals(0.5, n.node("augment").number("eq"));
        assertEquals(7, n.longValue("seed", 0));
    }

    @Test
    void badOverridesAreOneLineErrors() {
        SerException e = assertThrows(SerException.class, () -> ConfigOverrides.apply(YAML, Path.of("r.yaml"), List.of("epochs")));
        assertTrue(e.getMessage().contains("KEY=VALUE"), e.getMessage());
        e = assertThrows(SerException.class, () -> ConfigOverrides.apply(YAML, Path.of("r.yaml"), List.of("seed.x=1")));
        assertTrue(e.getMessage().contains("not a mapping"), e.getMessage());
    }

    @Test
    void theFileKeepsItsOwnChecksWhenOverridden() {
        SerException e = assertThrows(SerException.class,
                () -> ConfigOverrides.apply("seed: 1\nseed: 2\n", Path.of("r.yaml"), List.of("training.epochs=3")));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void anOverrideOfAnUnknownKeyIsTheUsualUnknownKeyError() {
        ConfigNode n = ConfigOverrides.apply(YAML, Path.of("r.yaml"), List.of("training.epochz=3"));
        ConfigNode training = n.node("training");
        training.integer("epochs");
        training.number("lr");
        n.longValue("seed", 0);
        SerException e = assertThrows(SerException.class, n::finish);
        assertTrue(e.getMessage().contains("training.epochz"), e.getMessage());
    }
}
