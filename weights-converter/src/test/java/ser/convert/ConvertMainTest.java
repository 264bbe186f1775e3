package ser.convert;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.hubert.Hubert;
import ser.cli.Main;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ConvertMainTest {

    @TempDir
    Path tmp;

    /** The engine's small fixture model, read in place from the sibling module's test resources. */
    private static final Path FIXTURE = Path.of("../engine/src/test/resources/fixtures/hubert/small-base/fairseq.pt");

    @Test
    void convertsAFairseqCheckpointThatTheEngineLoads() {
        assumeTrue(Files.exists(FIXTURE), "engine fixtures not beside this module");
        Path out = tmp.resolve("w.safetensors");
        assertEquals(0, Main.run("convert", FIXTURE.toString(), "--out", out.toString()));
        Hubert hubert = Hubert.load(out);
        assertEquals(2, hubert.config().layers());
        assertEquals(3, hubert.forward(new float[16_000]).states());
    }
}
