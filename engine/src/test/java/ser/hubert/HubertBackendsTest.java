package ser.hubert;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ser.hubert.convert.HubertConverter;
import ser.tensor.Backends;
import ser.tensor.Parallel;

import java.nio.file.Path;
import java.util.List;

/**
 * HuBERT's forward pass on every backend present ({@link Backends#fast}: SIMD, the test's off-heap one, and where
 * its module is on the class path the CUDA backend, on the emulated GPU and on a real one when there is one),
 * against the states torchaudio dumped for the small fixtures: features, projection, positional conv and every
 * layer, for a padded batch. The kernels module runs this class too, so the CUDA backend is held to the same dump.
 */
class HubertBackendsTest {

    private static final Parallel POOL = new Parallel(2);

    @AfterAll
    static void stopPool() {
        POOL.close();
    }

    static List<Backends.Backend> backends() {
        return Backends.fast(POOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void everyBackendMatchesTheTorchaudioDump(Backends.Backend backend) throws Exception {
        for (String model : List.of("small-base", "small-large")) {
            Path hf = Fixtures.dir().resolve(model + "/hf");
            HubertConverter.Converted c = HubertConverter.read(hf, null);
            Hubert hubert = new Hubert(c.config(), WeightSource.of(c.tensors(), hf.toString()), backend.ops(), POOL);
            Path dump = Fixtures.dir().resolve(model + "/synth-batch");
            List<float[]> clips = Fixtures.clips(dump.resolve("manifest.json"));
            HubertFixtureTest.compare(dump, hubert.run(clips, true), model + " on " + backend);
        }
    }
}
