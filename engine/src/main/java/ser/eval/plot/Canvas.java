package ser.eval.plot;

import ser.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** A white RGB image with anti-aliased drawing and text placed by its anchor, written out as PNG. */
final class Canvas {

    static {
        // Plots are drawn into memory; without this a JDK on a machine with a $DISPLAY may try to open it.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    enum Anchor { START, CENTER, END }

    static final Color INK = new Color(0x20, 0x20, 0x20);
    static final Color GRID = new Color(0xe4, 0xe4, 0xe4);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(INK);
        font(14, false);
        g.setStroke(new BasicStroke(1f));
    }

    void font(int size, boolean bold) {
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
    }

    /** Draws {@code s} with its box anchored at (x, y): START/CENTER/END horizontally and vertically. */
    void text(String s, double x, double y, Anchor horizontal, Anchor vertical) {
        FontMetrics fm = g.getFontMetrics();
        double w = fm.stringWidth(s), h = fm.getAscent() - fm.getDescent() / 2.0;
        double left = x - offset(horizontal, w);
        double baseline = y + h - offset(vertical, h);
        g.drawString(s, (float) left, (float) baseline);
    }

    /** Draws {@code s} turned 90° anticlockwise (a y-axis title), centred on (x, y). */
    void verticalText(String s, double x, double y) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        text(s, 0, 0, Anchor.CENTER, Anchor.CENTER);
        g.setTransform(saved);
    }

    int textWidth(String s) {
        return g.getFontMetrics().stringWidth(s);
    }

    void save(Path png) {
        g.dispose();
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("this JDK has no PNG writer");
        });
    }

    private static double offset(Anchor a, double size) {
        return switch (a) {
            case START -> 0;
            case CENTER -> size / 2;
            case END -> size;
        };
    }
}
