package ser.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;

/** JSON files of any kind: parsed, or refused in one line (Json.read; Json.parse answers IllegalArgumentException). */
class JsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] bytes) {
        FuzzInput.expectCleanErrors(() -> Json.read(FuzzInput.asFile(bytes)));
    }
}
