package ser.hubert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import ser.hubert.convert.HubertConverter;
import ser.tensor.OffHeapOps;
import ser.tensor.Parallel;
import ser.tensor.ScalarOps;
import ser.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;

/**
 * The model knows only the Ops seam: on the plain scalar backend it matches the reference just the same, and on
 * a backend whose memory is not the heap it allocates, reads and writes nothing but that memory.
 */
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

    /**
     * On {@link OffHeapOps} every activation is off the heap, so a stray {@code heapArray()} in the model would
     * fail. The arithmetic is SIMD's, but off the heap it takes the unfused paths (a separate difference before a
     * paired conv's GEMM, say), so it agrees with the heap backend to within rounding, not bit for bit.
     */
    @Test
    void offHeapBackendAgreesWithTheHeapOne() throws Exception {
        Path hf = Fixtures.dir().resolve("small-base/hf");
        HubertConverter.Converted c = HubertConverter.read(hf, null);
        Path dump = Fixtures.dir().resolve("small-base/synth-batch");
        List<float[]> clips = Fixtures.clips(dump.resolve("manifest.json"));
        Hubert offHeap = new Hubert(c.config(), WeightSource.of(c.tensors(), hf.toString()), new OffHeapOps(), Parallel.shared());
        Hubert.Stages stages = offHeap.run(clips, true);
        HubertFixtureTest.compare(dump, stages, "small-base on off-heap memory");
        assertEquals(ser.tensor.Storage.OFF_HEAP, stages.output().hiddenStates().storage());
        Hubert heap = new Hubert(c.config(), WeightSource.of(c.tensors(), hf.toString()));
        for (List<float[]> batch : List.of(clips, List.of(clips.get(0)))) {
            Tensor expected = heap.forwardEach(batch).hiddenStates(), actual = offHeap.forwardEach(batch).hiddenStates();
            Fixtures.assertClose(expected, actual, 1e-6, batch.size() + " clip(s) off the heap");
        }
    }
}
