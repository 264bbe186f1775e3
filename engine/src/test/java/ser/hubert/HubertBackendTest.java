package ser.hubert;

import org.junit.jupiter.api.Test;
import ser.hubert.convert.HubertConverter;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;

import java.nio.file.Path;
import java.util.List;

/** The model knows only the Ops seam: on the plain scalar backend it matches the reference just the same. */
class HubertBackendTest {

    @Test
    void scalarBackendMatchesTheReference() throws Exception {
        Path hf = Fixtures.dir().resolve("small-large/hf");
        HubertConverter.Converted c = HubertConverter.read(hf, null);
        try (Parallel single = new Parallel(1)) {
            Hubert scalar = new Hubert(c.config(), WeightSource.of(c.tensors(), hf.toString()), new ScalarOps(), single);
            Path dump = Fixtures.dir().resolve("small-large/synth-batch");
            List<float[]> clips = Fixtures.clips(dump.resolve("manifest.json"));
            HubertFixtureTest.compare(dump, scalar.run(clips, true), "small-large on ScalarOps");
        }
    }
}
