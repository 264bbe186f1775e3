package ser.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ser.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SpectrogramPngTest {

    private static final int PAD = 4;
    private static final SpectrogramPng.Style BARE = new SpectrogramPng.Style(80, 0, 0, 0, false);

    @TempDir
    Path dir;

    /** [4 mels, 10 frames]: the lowest mel bin loud, the rest 100 dB quieter (below the 80 dB range). */
    private static Tensor loudLowBand() {
        Tensor db = Tensor.zeros(4, 10);
        for (int m = 1; m < 4; m++) for (int f = 0; f < 10; f++) db.set(-100f, m, f);
        return db;
    }

    @Test
    void lowFrequenciesAreAtTheBottom() {
        BufferedImage img = SpectrogramPng.render(loudLowBand(), BARE);
        assertEquals(PAD + 10 + PAD, img.getWidth());
        assertEquals(PAD + 4 + PAD, img.getHeight());
        assertEquals(Magma.rgb(1), img.getRGB(PAD + 5, PAD + 3) & 0xffffff, "bottom row: mel 0, the loudest");
        assertEquals(Magma.rgb(0), img.getRGB(PAD + 5, PAD) & 0xffffff, "top row: clamped to the floor");
    }

    @Test
    void levelsMapLinearlyOverTheRange() {
        Tensor db = Tensor.wrap(new float[] {-40f, 0f}, 1, 2); // half-way down an 80 dB range, and the top
        BufferedImage img = SpectrogramPng.render(db, BARE);
        assertEquals(Magma.rgb(0.5), img.getRGB(PAD, PAD) & 0xffffff);
    }

    @Test
    void shortClipsAreScaledUpByWholePixels() {
        BufferedImage img = SpectrogramPng.render(loudLowBand(), new SpectrogramPng.Style(80, 95, 30, 0, false));
        assertEquals(PAD + 100 + PAD, img.getWidth(), "10 frames x 10 px");
        assertEquals(PAD + 32 + PAD, img.getHeight(), "4 mels x 8 px");
    }

    @Test
    void silenceAndNaNDrawBlackInsteadOfFailing() {
        Tensor db = Tensor.wrap(new float[] {Float.NEGATIVE_INFINITY, Float.NaN}, 1, 2);
        BufferedImage img = SpectrogramPng.render(db, BARE);
        assertEquals(Magma.rgb(0), img.getRGB(PAD, PAD) & 0xffffff);
        assertEquals(Magma.rgb(0), img.getRGB(PAD + 1, PAD) & 0xffffff);
    }

    @Test
    void writesAReadablePngWithColorbarAndTimeAxis() throws IOException {
        Path png = dir.resolve("out/spec.png");
        SpectrogramPng.Style style = SpectrogramPng.Style.defaults().withFramesPerSecond(5);
        SpectrogramPng.write(png, loudLowBand(), style);
        BufferedImage back = ImageIO.read(png.toFile());
        BufferedImage expected = SpectrogramPng.render(loudLowBand(), style);
        assertEquals(expected.getWidth(), back.getWidth());
        assertEquals(expected.getHeight(), back.getHeight());
        assertTrue(back.getWidth() > PAD + 600 + PAD, "the colorbar adds width");
    }

    @Test
    void magmaRunsDarkToLightAndHitsItsAnchors() {
        assertEquals(0x000004, Magma.rgb(0));
        assertEquals(0xb5367a, Magma.rgb(0.5));
        assertEquals(0xfcfdbf, Magma.rgb(1));
        double previous = -1;
        for (int i = 0; i <= 20; i++) {
            int c = Magma.rgb(i / 20.0);
            double luma = 0.2126 * (c >> 16 & 0xff) + 0.7152 * (c >> 8 & 0xff) + 0.0722 * (c & 0xff);
            assertTrue(luma > previous, "luminance rises at " + i / 20.0);
            previous = luma;
        }
    }

    @Test
    void rejectsWhatIsNotASpectrogram() {
        assertThrows(IllegalArgumentException.class, () -> SpectrogramPng.render(Tensor.zeros(5), BARE));
        assertThrows(IllegalArgumentException.class, () -> SpectrogramPng.render(Tensor.zeros(80, 0), BARE));
    }
}
