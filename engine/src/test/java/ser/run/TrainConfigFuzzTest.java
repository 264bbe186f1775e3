package ser.run;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ser.FuzzInput;
import ser.config.ConfigNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** YAML recipes of any kind: a TrainConfig with every key checked, or refused in one line. */
class TrainConfigFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] bytes) {
        String yaml = new String(bytes, StandardCharsets.UTF_8);
        FuzzInput.expectCleanErrors(() -> {
            ConfigNode root = ConfigNode.parse(yaml, Path.of("fuzz.yaml"));
            TrainConfig.parse(root);
        });
    }
}
