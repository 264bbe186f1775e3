package ser.config;

import org.junit.jupiter.api.Test;
import ser.SerException;
import ser.model.ModelBuilder;
import ser.model.ModelSpec;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** Config files decide what is allocated and looped over: numbers must be finite and sizes bounded, keys unique. */
class ConfigBoundsTest {

    private static final Path FILE = Path.of("recipe.yaml");

    private static String message(Runnable r) {
        String m = assertThrows(SerException.class, r::run).getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void duplicateKeysAreAnErrorNamingTheKey() {
        assertEquals(FILE + ": duplicate key lr at line 3",
                message(() -> ConfigNode.parse("training:\n  lr: 0.1\n  lr: 0.01\n", FILE)));
        assertEquals(FILE + ": duplicate key seed at line 2", message(() -> ConfigNode.parse("seed: 1\nseed: 2\n", FILE)));
    }

    @Test
    void aNumberSnakeYamlCannotParseIsInvalidYaml() {
        assertEquals(FILE + ": not valid YAML: a number that does not parse (For input string: \".\")",
                message(() -> ConfigNode.parse("seed: ._\n", FILE)));
    }

    @Test
    void numbersMustBeFinite() {
        assertEquals(FILE + ": key 'p' must be a finite number, got '.nan'",
                message(() -> ConfigNode.parse("p: .nan\n", FILE).number("p", 0.5)));
        assertEquals(FILE + ": key 'lr' must be a finite number, got '-.inf'",
                message(() -> ConfigNode.parse("lr: -.inf\n", FILE).number("lr")));
        assertEquals(0.25, ConfigNode.parse("p: 0.25\n", FILE).number("p", 0.5));
    }

    @Test
    void wholeNumbersOutOfIntRangeAreOneLineErrors() {
        assertEquals(FILE + ": key 'n' is out of range: 9999999999", message(() -> ConfigNode.parse("n: 9999999999\n", FILE).integer("n")));
        assertEquals(FILE + ": key 'batch_size' must be in [1, 65536], got 2000000000",
                message(() -> ConfigNode.parse("batch_size: 2000000000\n", FILE).integer("batch_size", 128, 1, 65536)));
    }

    @Test
    void aValueThatContainsItselfIsShownByItsKind() {
        assertEquals(FILE + ": key 'lr' must be a number, got a list",
                message(() -> ConfigNode.parse("lr: &a [*a, [*a]]\n", FILE).number("lr")));
    }

    @Test
    void modelSizesAreBoundedBeforeAnythingIsAllocated() {
        String m = message(() -> ModelBuilder.build(ModelSpec.parse("layers:\n  - conv_block: 1000000000\n", FILE),
                new int[] {1, 64, 64}, 4, 1));
        assertTrue(m.contains("key 'layers[0].conv_block.out' must be at most 65536, got 1000000000")
                || m.contains("must be at most 65536, got 1000000000"), m);
        String wide = message(() -> ModelBuilder.build(ModelSpec.parse(
                "layers:\n  - conv_block: 65536\n  - conv_block: 65536\n", FILE), new int[] {1, 8, 8}, 4, 1));
        assertTrue(wide.contains("more than the 268435456 a layer may have"), wide);
        String padded = message(() -> ModelBuilder.build(ModelSpec.parse(
                "layers:\n  - conv2d: {out: 65536, kernel: 1, padding: 65536}\n", FILE), new int[] {1, 8, 8}, 4, 1));
        assertTrue(padded.contains("elements an example's output may have"), padded);
        String dropout = message(() -> ModelBuilder.build(ModelSpec.parse("layers:\n  - flatten\n  - dropout: .nan\n", FILE),
                new int[] {1, 4, 4}, 4, 1));
        assertTrue(dropout.contains("must be a finite number, got '.nan'"), dropout);
    }
}
