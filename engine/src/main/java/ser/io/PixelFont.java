package ser.io;

import java.awt.image.BufferedImage;

/**
 * A 3x5 pixel font for the few characters plot labels need (digits, minus, "dB", "s"). Drawing it by hand
 * keeps the PNG writers independent of the fonts installed on the machine: a headless server without
 * fontconfig renders the same picture.
 */
final class PixelFont {

    /** Width and height of one glyph, and the gap after it, in font pixels. */
    static final int WIDTH = 3, HEIGHT = 5, GAP = 1;

    private static final String CHARS = "0123456789-dBs";
    /** Rows top to bottom, 3 bits each (leftmost pixel is the high bit). */
    private static final int[][] GLYPHS = {
            {7, 5, 5, 5, 7}, {2, 6, 2, 2, 7}, {7, 1, 7, 4, 7}, {7, 1, 7, 1, 7}, {5, 5, 7, 1, 1},
            {7, 4, 7, 1, 7}, {7, 4, 7, 5, 7}, {7, 1, 1, 1, 1}, {7, 5, 7, 5, 7}, {7, 5, 7, 1, 7},
            {0, 0, 7, 0, 0}, {1, 1, 7, 5, 7}, {6, 5, 6, 5, 6}, {0, 3, 4, 1, 6},
    };

    private PixelFont() {}

    /** Width in image pixels of {@code text} drawn at {@code scale}. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * (WIDTH + GAP) - GAP) * scale;
    }

    /** Draws {@code text} with its top-left corner at (x, y); characters it does not know are left blank. */
    static void draw(BufferedImage img, String text, int x, int y, int scale, int rgb) {
        for (int c = 0; c < text.length(); c++) {
            int g = CHARS.indexOf(text.charAt(c));
            if (g >= 0) drawGlyph(img, GLYPHS[g], x + c * (WIDTH + GAP) * scale, y, scale, rgb);
        }
    }

    private static void drawGlyph(BufferedImage img, int[] rows, int x, int y, int scale, int rgb) {
        for (int r = 0; r < HEIGHT; r++) {
            for (int col = 0; col < WIDTH; col++) {
                if ((rows[r] >> (WIDTH - 1 - col) & 1) == 0) continue;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        int px = x + col * scale + dx, py = y + r * scale + dy;
                        if (px >= 0 && py >= 0 && px < img.getWidth() && py < img.getHeight()) img.setRGB(px, py, rgb);
                    }
                }
            }
        }
    }
}
