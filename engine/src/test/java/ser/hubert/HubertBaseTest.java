package ser.hubert;

import org.junit.jupiter.api.Test;
import ser.hubert.convert.HubertConverter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The full-size hubert_base (random weights) on real speech and on a padded batch, when the oracle has been run
 * with --base: its 380 MB of weights live in the ignored tools/reference/out/, never in the repository.
 */
class HubertBaseTest {

    @Test
    void fullSizeBaseMatchesTorchaudio() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).resolve("../tools/reference/out/hubert-base").normalize();
        assumeTrue(Files.exists(root.resolve("hf/model.safetensors")), "no base dump: run make_hubert_fixtures.py --base");
        HubertConverter.Converted converted = HubertConverter.read(root.resolve("hf"), null);
        Hubert model = new Hubert(converted.config(), WeightSource.of(converted.tensors(), root.toString()));
        boolean ran = false;
        for (String input : new String[] {"speech-single", "speech-batch", "synth-batch"}) {
            List<float[]> clips = Fixtures.clips(root.resolve(input).resolve("manifest.json"));
            if (clips == null) continue;
            HubertFixtureTest.compare(root.resolve(input), model.run(clips, true), "hubert-base/" + input);
            ran = true;
        }
        assumeTrue(ran, "no input of the base dump is available");
    }
}
