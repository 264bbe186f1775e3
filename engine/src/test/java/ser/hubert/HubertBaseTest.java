package ser.hubert;

import org.junit.jupiter.api.Test;
import ser.hubert.convert.HubertConverter;
import ser.hubert.convert.HubertImporter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The full-size hubert_base (random weights) on real speech, when the oracle has been run with --base
 * (its 380 MB of weights live in the ignored tools/reference/out/, never in the repository).
 */
class HubertBaseTest {

    @Test
    void fullSizeBaseMatchesTorchaudio() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../tools/reference/out/hubert-base").normalize();
        Path hf = root.resolve("hf");
        assumeTrue(Files.exists(hf.resolve("model.safetensors")), "no base dump: run make_hubert_fixtures.py --base");
        HubertConfig config = HubertConverter.huggingFaceConfig(hf.resolve("config.json"), hf.resolve("preprocessor_config.json"));
        long t0 = System.nanoTime();
        var raw = Fixtures.safetensors(hf.resolve("model.safetensors"));
        long t1 = System.nanoTime();
        var conv = HubertImporter.convert(raw, config, hf.toString());
        long t2 = System.nanoTime();
        Hubert model = new Hubert(config, WeightSource.of(conv, hf.toString()));
        System.err.printf("TIMING read %.2f s convert %.2f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        for (int rep = 0; rep < 3; rep++) {
            long a = System.nanoTime();
            model.forward(new float[32000]);
            System.err.printf("TIMING forward 2 s: %.3f s%n", (System.nanoTime() - a) / 1e9);
        }
        for (String input : new String[] {"speech-batch", "synth-single"}) {
            List<float[]> clips = Fixtures.clips(root.resolve(input).resolve("manifest.json"));
            if (clips == null) continue;
            HubertFixtureTest.compare(root.resolve(input), model.run(clips), "hubert-base/" + input);
        }
    }
}
