package ser.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;

/** WAV and AIFF bytes of any kind: decoded, or refused in one line. Seeds: AudioReaderFuzzTestInputs/read/. */
class AudioReaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] bytes) {
        FuzzInput.expectCleanErrors(() -> AudioReader.read(FuzzInput.asFile(bytes)));
    }
}
