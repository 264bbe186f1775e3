package ser.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;

/** .npy bytes of any kind: read, or refused in one line. */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) {
        FuzzInput.expectCleanErrors(() -> Npy.read(FuzzInput.asFile(bytes)));
    }
}
