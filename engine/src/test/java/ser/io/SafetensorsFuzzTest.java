package ser.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;

import java.lang.foreign.Arena;

/** safetensors bytes of any kind: read with every tensor, or refused in one line. */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) {
        // A confined arena unmaps each input at once; with the default automatic one, mappings wait for the
        // garbage collector, and the fuzzer ran at a tenth of the speed.
        FuzzInput.expectCleanErrors(() -> {
            try (Arena arena = Arena.ofConfined()) {
                Safetensors.read(FuzzInput.asFile(bytes), arena).tensors();
            }
        });
    }
}
