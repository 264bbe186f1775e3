package ser.eval.plot;

import ser.eval.ConfusionMatrix;
import ser.eval.plot.Canvas.Anchor;

import java.awt.Color;
import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code confusion.png}: the confusion matrix twice, as counts and normalised by row (each row is one true class,
 * so the diagonal reads as that class's recall), with the labels on both axes and the value in every cell.
 */
public final class ConfusionMatrixPlot {

    public static final int WIDTH = 1200, HEIGHT = 620;
    private static final int LABEL_ROOM = 90;

    private ConfusionMatrixPlot() {}

    public static void write(Path png, ConfusionMatrix m) {
        Canvas c = new Canvas(WIDTH, HEIGHT);
        long[][] counts = m.counts();
        double[][] normalised = m.rowNormalised();
        long maxCount = 1;
        for (long[] row : counts) for (long v : row) maxCount = Math.max(maxCount, v);

        int half = WIDTH / 2;
        String[][] countText = new String[m.classes()][m.classes()];
        String[][] rowText = new String[m.classes()][m.classes()];
        double[][] countShade = new double[m.classes()][m.classes()];
        for (int t = 0; t < m.classes(); t++) {
            for (int p = 0; p < m.classes(); p++) {
                countText[t][p] = Long.toString(counts[t][p]);
                countShade[t][p] = (double) counts[t][p] / maxCount;
                rowText[t][p] = String.format(Locale.ROOT, "%.2f", normalised[t][p]);
            }
        }
        heatmap(c, new Rectangle(0, 0, half, HEIGHT), "Counts (n = " + m.total() + ")", m, countShade, countText);
        heatmap(c, new Rectangle(half, 0, half, HEIGHT), "Normalised by true class", m, normalised, rowText);
        c.save(png);
    }

    private static void heatmap(Canvas c, Rectangle box, String title, ConfusionMatrix m, double[][] shade,
                                String[][] text) {
        int n = m.classes();
        int side = Math.min(box.width - LABEL_ROOM - 30, box.height - LABEL_ROOM - 50);
        int cell = side / n;
        side = cell * n;
        int x0 = box.x + LABEL_ROOM + (box.width - LABEL_ROOM - 30 - side) / 2, y0 = box.y + 50;

        c.font(16, true);
        c.text(title, x0 + side / 2.0, box.y + 12, Anchor.CENTER, Anchor.START);
        c.font(Math.clamp(cell / 4, 9, 16), false);
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                double v = Math.clamp(shade[t][p], 0, 1);
                c.g.setColor(blues(v));
                c.g.fillRect(x0 + p * cell, y0 + t * cell, cell, cell);
                c.g.setColor(v > 0.55 ? Color.WHITE : Canvas.INK);
                c.text(text[t][p], x0 + p * cell + cell / 2.0, y0 + t * cell + cell / 2.0, Anchor.CENTER, Anchor.CENTER);
            }
        }
        c.g.setColor(Canvas.INK);
        c.g.drawRect(x0, y0, side, side);
        c.font(13, false);
        for (int i = 0; i < n; i++) {
            String label = m.labels().get(i);
            c.text(label, x0 - 6, y0 + i * cell + cell / 2.0, Anchor.END, Anchor.CENTER);
            c.text(label, x0 + i * cell + cell / 2.0, y0 + side + 6, Anchor.CENTER, Anchor.START);
        }
        c.font(14, true);
        c.text("predicted", x0 + side / 2.0, y0 + side + 30, Anchor.CENTER, Anchor.START);
        c.verticalText("true", box.x + 16, y0 + side / 2.0);
    }

    /** White to dark blue, like matplotlib's "Blues". */
    static Color blues(double v) {
        int r = (int) Math.round(247 + (8 - 247) * v);
        int g = (int) Math.round(251 + (48 - 251) * v);
        int b = (int) Math.round(255 + (107 - 255) * v);
        return new Color(r, g, b);
    }
}
