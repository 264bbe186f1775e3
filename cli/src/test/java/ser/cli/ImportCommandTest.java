package ser.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ser import} of the seed's MelCNN (the engine's fixture), and a second import into the same directory. */
class ImportCommandTest {

    @TempDir
    Path dir;

    @RegisterExtension
    final ConsoleCapture console = new ConsoleCapture();

    @Test
    void importsOnceAndThenAsksForAnotherOut() throws Exception {
        Path pt = Path.of(ImportCommandTest.class.getResource("/fixtures/import/melcnn.pt").toURI());
        Path model = Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve("models/mel-cnn-seed.yaml");
        Path run = dir.resolve("run");
        String[] args = {"import", pt.toString(), "--model", model.toString(), "--labels", "NEU,HAP,SAD,ANG",
                "--out", run.toString()};
        assertEquals(0, Main.run(args), console.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/best.safetensors")));
        assertTrue(console.out().contains("try: ser predict --run " + run), console.out());

        console.resetErr();
        assertEquals(1, Main.run(args));
        assertEquals("ser: " + run + ": already holds a run; choose another --out\n", console.err().replace("\r\n", "\n"));
        // An imported model has no data.json: evaluate wants a corpus, by its flag.
        console.resetErr();
        assertEquals(1, Main.run("evaluate", "--run", run.toString()));
        assertEquals("ser: " + run + ": has no data.json (an imported model?): give --data DIR\n",
                console.err().replace("\r\n", "\n"));
    }
}
