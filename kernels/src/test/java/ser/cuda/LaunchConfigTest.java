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
    void tilesCoverEveryMatrixOfTheBatch() {
        LaunchConfig c = LaunchConfig.tiles(64, 512, 9599);
        assertEquals(16 * 300, c.gridX());
        assertEquals(64, c.gridY());
        assertEquals(256, c.blockX());
        assertEquals(1, LaunchConfig.tiles(1, 1, 1).gridX());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.tiles(70_000, 32, 32));
    }

    @Test
    void rowTilesAndGroups() {
        LaunchConfig c = LaunchConfig.rowTiles(64 * 512, 9599);
        assertEquals(64 * 512, c.gridX());
        assertEquals(38, c.gridY());
        assertEquals(1, LaunchConfig.rowTiles(1, 256).gridY());
        assertEquals(2, LaunchConfig.rowTiles(1, 257).gridY());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.rowTiles(1, 256L * 65536));
        LaunchConfig g = LaunchConfig.perRowAndGroup(64 * 149, 16);
        assertEquals(64 * 149, g.gridX());
        assertEquals(16, g.gridY());
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
