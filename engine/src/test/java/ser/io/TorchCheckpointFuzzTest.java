package ser.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;
import ser.io.pickle.SafeUnpickler;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * torch.save files of any kind, zip archives and legacy pickle streams alike, and bare pickles through the
 * checkpoint allow-list: read, or refused in one line.
 */
class TorchCheckpointFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void load(byte[] bytes) {
        FuzzInput.expectCleanErrors(() -> TorchCheckpoint.load(FuzzInput.asFile(bytes)));
    }

    /** The pickle machine alone, with tensors resolved over empty storages: faster, so it reaches deeper. */
    @FuzzTest(maxDuration = "10s")
    void pickle(byte[] bytes) {
        Path file = Path.of("fuzz.pkl");
        FuzzInput.expectCleanErrors(() -> {
            Object root = new SafeUnpickler(file, MemorySegment.ofArray(bytes), 0, TorchGlobals.allowed(),
                    TorchGlobals::persistentLoad).load();
            new CheckpointTensors(file, key -> MemorySegment.ofArray(new byte[64])).resolve(root);
        });
    }
}
