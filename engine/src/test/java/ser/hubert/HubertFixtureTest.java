package ser.hubert;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import ser.hubert.convert.HubertImporter;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The small oracle models, stage by stage, against torchaudio on single clips and padded batches. */
class HubertFixtureTest {

    static final double TOL = 1e-4;

    static Hubert smallModel(String model) throws Exception {
        Path hf = Fixtures.dir().resolve(model).resolve("hf");
        HubertConfig config = ser.hubert.convert.HubertConverter.huggingFaceConfig(hf.resolve("config.json"), hf.resolve("preprocessor_config.json"));
        var weights = HubertImporter.convert(Fixtures.safetensors(hf.resolve("model.safetensors")), config, hf.toString());
        return new Hubert(config, WeightSource.of(weights, hf.toString()));
    }

    @ParameterizedTest
    @CsvSource({"small-base,synth-single", "small-base,synth-batch", "small-base,speech-single", "small-base,speech-batch",
            "small-large,synth-single", "small-large,synth-batch", "small-large,speech-single", "small-large,speech-batch"})
    void everyStageMatchesTheReference(String model, String input) throws Exception {
        Path dump = Fixtures.dir().resolve(model).resolve(input);
        List<float[]> clips = Fixtures.clips(dump.resolve("manifest.json"));
        assumeTrue(clips != null, "RAVDESS excerpt not available under ser.shared");
        Hubert.Stages stages = smallModel(model).run(clips, true);
        compare(dump, stages, model + "/" + input);
    }

    @ParameterizedTest
    @CsvSource({"small-base", "small-large"})
    void batchOfIndependentClipsEqualsEachClipAlone(String model) throws Exception {
        Hubert hubert = smallModel(model);
        List<float[]> clips = Fixtures.clips(Fixtures.dir().resolve(model).resolve("synth-batch/manifest.json"));
        clips = List.of(clips.get(1), clips.get(0), java.util.Arrays.copyOf(clips.get(0), 5000));
        HubertOutput together = hubert.forwardEach(clips);
        for (int b = 0; b < clips.size(); b++) {
            HubertOutput alone = hubert.forward(clips.get(b));
            assertEquals(alone.frames()[0], together.frames()[b]);
            for (int l = 0; l < alone.states(); l++) {
                Fixtures.assertClose(alone.state(l, 0), together.state(l, b), 1e-5, model + " clip " + b + " state " + l);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"small-base", "small-large"})
    void keptStatesAreBitForBitThoseOfAFullPass(String model) throws Exception {
        Hubert hubert = smallModel(model);
        int last = hubert.config().layers();
        List<float[]> clips = Fixtures.clips(Fixtures.dir().resolve(model).resolve("synth-batch/manifest.json"));
        HubertOutput full = hubert.forwardEach(clips), fullPadded = hubert.forward(clips);
        // The last state alone, the first alone, and states with unkept ones between, asked out of order, repeated.
        for (int[] asked : new int[][] {{last}, {0}, {last, 1, last}, {0, 2}}) {
            int[] kept = IntStream.of(asked).sorted().distinct().toArray();
            HubertOutput each = hubert.forwardEach(clips, asked), padded = hubert.forward(clips, asked);
            assertArrayEquals(kept, each.kept());
            assertEquals(kept.length, each.states());
            for (int state : kept) {
                for (int b = 0; b < clips.size(); b++) {
                    String what = model + " state " + state + " clip " + b + " of " + Arrays.toString(asked);
                    assertArrayEquals(full.state(state, b).toArray(), each.state(state, b).toArray(), what);
                    assertArrayEquals(fullPadded.state(state, b).toArray(), padded.state(state, b).toArray(), what + ", padded");
                }
            }
        }
        HubertOutput lastOnly = hubert.forwardEach(clips, new int[] {last});
        IllegalArgumentException notKept = assertThrows(IllegalArgumentException.class, () -> lastOnly.state(0, 0));
        assertEquals("hidden state 0 was not kept (kept: [" + last + "])", notKept.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hubert.forwardEach(clips, new int[] {last + 1}));
        assertThrows(IllegalArgumentException.class, () -> hubert.forwardEach(clips, new int[0]));
    }

    static void compare(Path dump, Hubert.Stages stages, String what) throws Exception {
        Fixtures.assertClose(Fixtures.npy(dump.resolve("features.npy")), stages.features(), TOL, what + " features");
        Fixtures.assertClose(Fixtures.npy(dump.resolve("projected.npy")), stages.projected(), TOL, what + " projection");
        Fixtures.assertClose(Fixtures.npy(dump.resolve("pos_conv.npy")), stages.positional(), TOL, what + " pos conv");
        Tensor expected = Fixtures.npy(dump.resolve("hidden_states.npy"));
        Tensor actual = stages.output().hiddenStates();
        for (int l = 0; l < expected.dim(0); l++) {
            Fixtures.assertClose(expected.select(0, l), actual.select(0, l), TOL, what + " hidden state " + l);
        }
    }
}
