package ser.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LaunchConfigTest {

    @Test
    void elementwiseCoversEveryElementOnce() {
        assertEquals(new LaunchConfig(1, 1, 256, 0), LaunchConfig.elementwise(1));
        assertEquals(1, LaunchConfig.elementwise(256).gridX());
        assertEquals(2, LaunchConfig.elementwise(257).gridX());
        assertEquals(8 * 149 * 768 / 256, LaunchConfig.elementwise(8L * 149 * 768).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.elementwise(0));
    }

    @Test
    void perRowUsesWholeWarps() {
        assertEquals(32, LaunchConfig.perRow(10, 1).blockX());
        assertEquals(768, LaunchConfig.perRow(10, 768).blockX());
        assertEquals(160, LaunchConfig.perRow(10, 149).blockX());
        assertEquals(1024, LaunchConfig.perRow(10, 48000).blockX());
        assertEquals(10, LaunchConfig.perRow(10, 48000).gridX());
    }
}
