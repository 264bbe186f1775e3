package ser.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;

/** safetensors bytes of any kind: read with every tensor, or refused in one line. */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) {
        FuzzInput.expectCleanErrors(() -> Safetensors.read(FuzzInput.asFile(bytes)).tensors());
    }
}
